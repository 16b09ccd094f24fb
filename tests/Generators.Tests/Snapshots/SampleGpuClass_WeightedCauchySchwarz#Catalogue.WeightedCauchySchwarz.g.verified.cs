        /// <summary>The same formula on an ILGPU accelerator (CUDA, OpenCL or ILGPU's CPU accelerator), over float and double views of the clouds.</summary>
        /// <remarks>
        /// Each pair reduction is one sweep of the GPU pair engine: one thread per point of the cloud on i, the points of the
        /// cloud on j streamed through shared memory in tiles, every pair's term in the element type and its sum in double; the
        /// rows' sums are added by a second kernel in a fixed order (no atomics: the same bits on every run). The epilogue
        /// runs on the host in double. A gradient with respect to a cloud is its sweeps with that cloud on i, added in double.
        /// Calls are synchronous.
        /// </remarks>
        public static class Gpu
        {
            /// <summary>The value of the formula on the device: one GPU sweep per pair reduction (see the plan in the remarks), then the epilogue on the host.</summary>
            /// <param name="device">The device the views live on.</param>
            /// <param name="x">The points of cloud <c>x</c> on the device, row-major: one row of <paramref name="d"/> features per point.</param>
            /// <param name="a">The weights of the points of <c>x</c> on the device, one per point.</param>
            /// <param name="y">The points of cloud <c>y</c> on the device, row-major: one row of <paramref name="d"/> features per point.</param>
            /// <param name="b">The weights of the points of <c>y</c> on the device, one per point.</param>
            /// <param name="d">The number of features of a point, the same for every cloud.</param>
            /// <param name="s">Parameter <c>s</c> of the formula.</param>
            /// <returns>The value: pair terms in the element type, sums and the epilogue in double, rounded once at the end.</returns>
            /// <exception cref="global::System.ArgumentException"><paramref name="d"/> is below 1, a cloud is empty or its length is not a multiple of <paramref name="d"/>, weights are not one per point, a view is not on the device's accelerator.</exception>
            /// <remarks>
            /// The plan (the same reductions, slopes and epilogue as the CPU's): pair reductions <c>_r</c>, each one sweep of the GPU pair engine with a pair term <c>φ</c> of one
            /// pair feature <c>f</c>, then a scalar epilogue in double.
            /// <code>
            /// φ0(f) = exp(-(f / (4 * s^2))), f = sqdist(u, v)
            /// _r0 = Σ_i Σ_j a_i b_j φ0(x_i, y_j)
            /// _r1 = Σ_i Σ_j a_i a_j φ0(x_i, x_j), i = j included
            /// _r2 = Σ_i Σ_j b_i b_j φ0(y_i, y_j), i = j included
            /// value = -2 * log(_r0 / (_sum_a * _sum_b)) + log(_r1 / (_sum_a * _sum_a)) + log(_r2 / (_sum_b * _sum_b))
            /// dV/d_r0 = -2 * (1 / (_r0 / (_sum_a * _sum_b))) * (1 / (_sum_a * _sum_b))
            /// dV/d_r1 = 1 / (_r1 / (_sum_a * _sum_a)) * (1 / (_sum_a * _sum_a))
            /// dV/d_r2 = 1 / (_r2 / (_sum_b * _sum_b)) * (1 / (_sum_b * _sum_b))
            /// </code>
            /// </remarks>
            public static float Value(
                global::KernelDsl.Runtime.Gpu.KernelDevice device, global::ILGPU.ArrayView<float> x, global::ILGPU.ArrayView<float> a,
                global::ILGPU.ArrayView<float> y, global::ILGPU.ArrayView<float> b, int d, float s)
            {
                double _n_x = global::KernelDsl.Runtime.Gpu.GpuPairSweep.Points(device, x, d, nameof(x));
                double _n_y = global::KernelDsl.Runtime.Gpu.GpuPairSweep.Points(device, y, d, nameof(y));
                global::KernelDsl.Runtime.Gpu.GpuPairSweep.Weights(device, a, (int)_n_x, nameof(a), nameof(x));
                global::KernelDsl.Runtime.Gpu.GpuPairSweep.Weights(device, b, (int)_n_y, nameof(b), nameof(y));
                double _sum_a = global::KernelDsl.Runtime.Gpu.GpuPairSweep.WeightSum(device, a, square: false);
                double _sum_b = global::KernelDsl.Runtime.Gpu.GpuPairSweep.WeightSum(device, b, square: false);
                var _term0 = new _PairTerm0<float>(s);
                // _r0 = Σ_i Σ_j a_i b_j φ0(sqdist(x_i, y_j))
                double _r0 = global::KernelDsl.Runtime.Gpu.GpuPairSweep.Sum(device, in _term0, x, a, y, b, d);
                // _r1 = Σ_i Σ_j a_i a_j φ0(sqdist(x_i, x_j)), i = j included
                double _r1 = global::KernelDsl.Runtime.Gpu.GpuPairSweep.SelfSum(device, in _term0, x, a, d, diagonal: true);
                // _r2 = Σ_i Σ_j b_i b_j φ0(sqdist(y_i, y_j)), i = j included
                double _r2 = global::KernelDsl.Runtime.Gpu.GpuPairSweep.SelfSum(device, in _term0, y, b, d, diagonal: true);
                double _e4 = _sum_a * _sum_b;
                double _e5 = _r0 / _e4;
                double _e6 = global::KernelDsl.Runtime.ScalarMath<global::KernelDsl.Runtime.ScalarD>.Log(_e5);
                double _e7 = (-2.0) * _e6;
                double _e9 = _sum_a * _sum_a;
                double _e10 = _r1 / _e9;
                double _e11 = global::KernelDsl.Runtime.ScalarMath<global::KernelDsl.Runtime.ScalarD>.Log(_e10);
                double _e12 = _e7 + _e11;
                double _e14 = _sum_b * _sum_b;
                double _e15 = _r2 / _e14;
                double _e16 = global::KernelDsl.Runtime.ScalarMath<global::KernelDsl.Runtime.ScalarD>.Log(_e15);
                double _e17 = _e12 + _e16;
                return (float)(_e17);
            }

            /// <summary>The value and its gradient with respect to the points of each cloud, on the device: value sweeps, the epilogue's slopes dV/dR, then one gradient sweep per reduction and cloud.</summary>
            /// <param name="device">The device the views live on.</param>
            /// <param name="x">The points of cloud <c>x</c> on the device, row-major: one row of <paramref name="d"/> features per point.</param>
            /// <param name="a">The weights of the points of <c>x</c> on the device, one per point.</param>
            /// <param name="y">The points of cloud <c>y</c> on the device, row-major: one row of <paramref name="d"/> features per point.</param>
            /// <param name="b">The weights of the points of <c>y</c> on the device, one per point.</param>
            /// <param name="d">The number of features of a point, the same for every cloud.</param>
            /// <param name="dx">Receives the gradient with respect to the points of <c>x</c> (row-major, as <c>x</c>, on the device); pass an empty view to skip it.</param>
            /// <param name="dy">Receives the gradient with respect to the points of <c>y</c> (row-major, as <c>y</c>, on the device); pass an empty view to skip it.</param>
            /// <param name="s">Parameter <c>s</c> of the formula.</param>
            /// <returns>The value: pair terms in the element type, sums and the epilogue in double, rounded once at the end.</returns>
            /// <exception cref="global::System.ArgumentException"><paramref name="d"/> is below 1, a cloud is empty or its length is not a multiple of <paramref name="d"/>, weights are not one per point, a view is not on the device's accelerator, or a gradient view is neither empty nor as long as its cloud, or overlaps an input or another gradient.</exception>
            public static float ValueAndGradient(
                global::KernelDsl.Runtime.Gpu.KernelDevice device, global::ILGPU.ArrayView<float> x, global::ILGPU.ArrayView<float> a,
                global::ILGPU.ArrayView<float> y, global::ILGPU.ArrayView<float> b, int d, global::ILGPU.ArrayView<float> dx, global::ILGPU.ArrayView<float> dy,
                float s)
            {
                double _n_x = global::KernelDsl.Runtime.Gpu.GpuPairSweep.Points(device, x, d, nameof(x));
                double _n_y = global::KernelDsl.Runtime.Gpu.GpuPairSweep.Points(device, y, d, nameof(y));
                global::KernelDsl.Runtime.Gpu.GpuPairSweep.Weights(device, a, (int)_n_x, nameof(a), nameof(x));
                global::KernelDsl.Runtime.Gpu.GpuPairSweep.Weights(device, b, (int)_n_y, nameof(b), nameof(y));
                double _sum_a = global::KernelDsl.Runtime.Gpu.GpuPairSweep.WeightSum(device, a, square: false);
                double _sum_b = global::KernelDsl.Runtime.Gpu.GpuPairSweep.WeightSum(device, b, square: false);
                global::KernelDsl.Runtime.Gpu.GpuPairSweep.Gradient(device, dx, x.Length, nameof(dx), x, a, y, b);
                global::KernelDsl.Runtime.Gpu.GpuPairSweep.Gradient(device, dy, y.Length, nameof(dy), x, a, y, b);
                if (global::KernelDsl.Runtime.Gpu.GpuCopy.Overlaps(dy, dx)) throw global::KernelDsl.Runtime.Partials.GradientsOverlap(nameof(dy), nameof(dx));
                var _term0 = new _PairTerm0<float>(s);
                // _r0 = Σ_i Σ_j a_i b_j φ0(sqdist(x_i, y_j))
                double _r0 = global::KernelDsl.Runtime.Gpu.GpuPairSweep.Sum(device, in _term0, x, a, y, b, d);
                // _r1 = Σ_i Σ_j a_i a_j φ0(sqdist(x_i, x_j)), i = j included
                double _r1 = global::KernelDsl.Runtime.Gpu.GpuPairSweep.SelfSum(device, in _term0, x, a, d, diagonal: true);
                // _r2 = Σ_i Σ_j b_i b_j φ0(sqdist(y_i, y_j)), i = j included
                double _r2 = global::KernelDsl.Runtime.Gpu.GpuPairSweep.SelfSum(device, in _term0, y, b, d, diagonal: true);
                double _e4 = _sum_a * _sum_b;
                double _e5 = _r0 / _e4;
                double _e41 = 1.0 / _e5;
                double _e42 = (-2.0) * _e41;
                double _e43 = 1.0 / _e4;
                double _e44 = _e42 * _e43;
                double _g0 = _e44; // dV/d_r0
                double _e9 = _sum_a * _sum_a;
                double _e10 = _r1 / _e9;
                double _e30 = 1.0 / _e10;
                double _e31 = 1.0 / _e9;
                double _e32 = _e30 * _e31;
                double _g1 = _e32; // dV/d_r1
                double _e14 = _sum_b * _sum_b;
                double _e15 = _r2 / _e14;
                double _e20 = 1.0 / _e15;
                double _e21 = 1.0 / _e14;
                double _e22 = _e20 * _e21;
                double _g2 = _e22; // dV/d_r2
                // The gradient in x: _g0 · ∂_r0/∂x + _g1 · ∂_r1/∂x.
                if (dx.Length != 0)
                {
                    (_, _) = global::KernelDsl.Runtime.Gpu.GpuPairSweep.SelfAndCrossWithGradient(device, in _term0, x, a, y, b, d, diagonal: true, _g1, _g0, dx);
                }
                // The gradient in y: _g0 · ∂_r0/∂y + _g2 · ∂_r2/∂y.
                if (dy.Length != 0)
                {
                    (_, _) = global::KernelDsl.Runtime.Gpu.GpuPairSweep.SelfAndCrossWithGradient(device, in _term0, y, b, x, a, d, diagonal: true, _g2, _g0, dy);
                }
                double _e6 = global::KernelDsl.Runtime.ScalarMath<global::KernelDsl.Runtime.ScalarD>.Log(_e5);
                double _e7 = (-2.0) * _e6;
                double _e11 = global::KernelDsl.Runtime.ScalarMath<global::KernelDsl.Runtime.ScalarD>.Log(_e10);
                double _e12 = _e7 + _e11;
                double _e16 = global::KernelDsl.Runtime.ScalarMath<global::KernelDsl.Runtime.ScalarD>.Log(_e15);
                double _e17 = _e12 + _e16;
                return (float)(_e17);
            }

            /// <summary>The value of host spans: copies them to the device, runs <c>Value</c> over the views, frees the copies.</summary>
            public static float Value(
                global::KernelDsl.Runtime.Gpu.KernelDevice device, global::System.ReadOnlySpan<float> x, global::System.ReadOnlySpan<float> a,
                global::System.ReadOnlySpan<float> y, global::System.ReadOnlySpan<float> b, int d, float s)
            {
                if (device is null) throw new global::System.ArgumentNullException(nameof(device));
                using var _b_x = device.Upload(x);
                using var _b_a = device.Upload(a);
                using var _b_y = device.Upload(y);
                using var _b_b = device.Upload(b);
                return Value(device, _b_x.View.SubView(0, x.Length), _b_a.View.SubView(0, a.Length), _b_y.View.SubView(0, y.Length), _b_b.View.SubView(0, b.Length), d, s);
            }

            /// <summary>The value and gradients of host spans: copies in, runs <c>ValueAndGradient</c> over the views, copies the gradients back; an empty gradient span skips that gradient.</summary>
            public static float ValueAndGradient(
                global::KernelDsl.Runtime.Gpu.KernelDevice device, global::System.ReadOnlySpan<float> x, global::System.ReadOnlySpan<float> a,
                global::System.ReadOnlySpan<float> y, global::System.ReadOnlySpan<float> b, int d, global::System.Span<float> dx, global::System.Span<float> dy,
                float s)
            {
                if (device is null) throw new global::System.ArgumentNullException(nameof(device));
                using var _b_x = device.Upload(x);
                using var _b_a = device.Upload(a);
                using var _b_y = device.Upload(y);
                using var _b_b = device.Upload(b);
                using var _g_x = device.Allocate<float>(dx.Length);
                using var _g_y = device.Allocate<float>(dy.Length);
                float _value = ValueAndGradient(device, _b_x.View.SubView(0, x.Length), _b_a.View.SubView(0, a.Length), _b_y.View.SubView(0, y.Length), _b_b.View.SubView(0, b.Length), d, _g_x.View.SubView(0, dx.Length), _g_y.View.SubView(0, dy.Length), s);
                device.Download(_g_x.View.SubView(0, dx.Length), dx);
                device.Download(_g_y.View.SubView(0, dy.Length), dy);
                return _value;
            }

            /// <inheritdoc cref="Value(global::KernelDsl.Runtime.Gpu.KernelDevice, global::ILGPU.ArrayView{float}, global::ILGPU.ArrayView{float}, global::ILGPU.ArrayView{float}, global::ILGPU.ArrayView{float}, int, float)"/>
            public static double Value(
                global::KernelDsl.Runtime.Gpu.KernelDevice device, global::ILGPU.ArrayView<double> x, global::ILGPU.ArrayView<double> a,
                global::ILGPU.ArrayView<double> y, global::ILGPU.ArrayView<double> b, int d, double s)
            {
                double _n_x = global::KernelDsl.Runtime.Gpu.GpuPairSweep.Points(device, x, d, nameof(x));
                double _n_y = global::KernelDsl.Runtime.Gpu.GpuPairSweep.Points(device, y, d, nameof(y));
                global::KernelDsl.Runtime.Gpu.GpuPairSweep.Weights(device, a, (int)_n_x, nameof(a), nameof(x));
                global::KernelDsl.Runtime.Gpu.GpuPairSweep.Weights(device, b, (int)_n_y, nameof(b), nameof(y));
                double _sum_a = global::KernelDsl.Runtime.Gpu.GpuPairSweep.WeightSum(device, a, square: false);
                double _sum_b = global::KernelDsl.Runtime.Gpu.GpuPairSweep.WeightSum(device, b, square: false);
                var _term0 = new _PairTerm0<double>(s);
                // _r0 = Σ_i Σ_j a_i b_j φ0(sqdist(x_i, y_j))
                double _r0 = global::KernelDsl.Runtime.Gpu.GpuPairSweep.Sum(device, in _term0, x, a, y, b, d);
                // _r1 = Σ_i Σ_j a_i a_j φ0(sqdist(x_i, x_j)), i = j included
                double _r1 = global::KernelDsl.Runtime.Gpu.GpuPairSweep.SelfSum(device, in _term0, x, a, d, diagonal: true);
                // _r2 = Σ_i Σ_j b_i b_j φ0(sqdist(y_i, y_j)), i = j included
                double _r2 = global::KernelDsl.Runtime.Gpu.GpuPairSweep.SelfSum(device, in _term0, y, b, d, diagonal: true);
                double _e4 = _sum_a * _sum_b;
                double _e5 = _r0 / _e4;
                double _e6 = global::KernelDsl.Runtime.ScalarMath<global::KernelDsl.Runtime.ScalarD>.Log(_e5);
                double _e7 = (-2.0) * _e6;
                double _e9 = _sum_a * _sum_a;
                double _e10 = _r1 / _e9;
                double _e11 = global::KernelDsl.Runtime.ScalarMath<global::KernelDsl.Runtime.ScalarD>.Log(_e10);
                double _e12 = _e7 + _e11;
                double _e14 = _sum_b * _sum_b;
                double _e15 = _r2 / _e14;
                double _e16 = global::KernelDsl.Runtime.ScalarMath<global::KernelDsl.Runtime.ScalarD>.Log(_e15);
                double _e17 = _e12 + _e16;
                return (double)(_e17);
            }

            /// <inheritdoc cref="ValueAndGradient(global::KernelDsl.Runtime.Gpu.KernelDevice, global::ILGPU.ArrayView{float}, global::ILGPU.ArrayView{float}, global::ILGPU.ArrayView{float}, global::ILGPU.ArrayView{float}, int, global::ILGPU.ArrayView{float}, global::ILGPU.ArrayView{float}, float)"/>
            public static double ValueAndGradient(
                global::KernelDsl.Runtime.Gpu.KernelDevice device, global::ILGPU.ArrayView<double> x, global::ILGPU.ArrayView<double> a,
                global::ILGPU.ArrayView<double> y, global::ILGPU.ArrayView<double> b, int d, global::ILGPU.ArrayView<double> dx,
                global::ILGPU.ArrayView<double> dy, double s)
            {
                double _n_x = global::KernelDsl.Runtime.Gpu.GpuPairSweep.Points(device, x, d, nameof(x));
                double _n_y = global::KernelDsl.Runtime.Gpu.GpuPairSweep.Points(device, y, d, nameof(y));
                global::KernelDsl.Runtime.Gpu.GpuPairSweep.Weights(device, a, (int)_n_x, nameof(a), nameof(x));
                global::KernelDsl.Runtime.Gpu.GpuPairSweep.Weights(device, b, (int)_n_y, nameof(b), nameof(y));
                double _sum_a = global::KernelDsl.Runtime.Gpu.GpuPairSweep.WeightSum(device, a, square: false);
                double _sum_b = global::KernelDsl.Runtime.Gpu.GpuPairSweep.WeightSum(device, b, square: false);
                global::KernelDsl.Runtime.Gpu.GpuPairSweep.Gradient(device, dx, x.Length, nameof(dx), x, a, y, b);
                global::KernelDsl.Runtime.Gpu.GpuPairSweep.Gradient(device, dy, y.Length, nameof(dy), x, a, y, b);
                if (global::KernelDsl.Runtime.Gpu.GpuCopy.Overlaps(dy, dx)) throw global::KernelDsl.Runtime.Partials.GradientsOverlap(nameof(dy), nameof(dx));
                var _term0 = new _PairTerm0<double>(s);
                // _r0 = Σ_i Σ_j a_i b_j φ0(sqdist(x_i, y_j))
                double _r0 = global::KernelDsl.Runtime.Gpu.GpuPairSweep.Sum(device, in _term0, x, a, y, b, d);
                // _r1 = Σ_i Σ_j a_i a_j φ0(sqdist(x_i, x_j)), i = j included
                double _r1 = global::KernelDsl.Runtime.Gpu.GpuPairSweep.SelfSum(device, in _term0, x, a, d, diagonal: true);
                // _r2 = Σ_i Σ_j b_i b_j φ0(sqdist(y_i, y_j)), i = j included
                double _r2 = global::KernelDsl.Runtime.Gpu.GpuPairSweep.SelfSum(device, in _term0, y, b, d, diagonal: true);
                double _e4 = _sum_a * _sum_b;
                double _e5 = _r0 / _e4;
                double _e41 = 1.0 / _e5;
                double _e42 = (-2.0) * _e41;
                double _e43 = 1.0 / _e4;
                double _e44 = _e42 * _e43;
                double _g0 = _e44; // dV/d_r0
                double _e9 = _sum_a * _sum_a;
                double _e10 = _r1 / _e9;
                double _e30 = 1.0 / _e10;
                double _e31 = 1.0 / _e9;
                double _e32 = _e30 * _e31;
                double _g1 = _e32; // dV/d_r1
                double _e14 = _sum_b * _sum_b;
                double _e15 = _r2 / _e14;
                double _e20 = 1.0 / _e15;
                double _e21 = 1.0 / _e14;
                double _e22 = _e20 * _e21;
                double _g2 = _e22; // dV/d_r2
                // The gradient in x: _g0 · ∂_r0/∂x + _g1 · ∂_r1/∂x.
                if (dx.Length != 0)
                {
                    (_, _) = global::KernelDsl.Runtime.Gpu.GpuPairSweep.SelfAndCrossWithGradient(device, in _term0, x, a, y, b, d, diagonal: true, _g1, _g0, dx);
                }
                // The gradient in y: _g0 · ∂_r0/∂y + _g2 · ∂_r2/∂y.
                if (dy.Length != 0)
                {
                    (_, _) = global::KernelDsl.Runtime.Gpu.GpuPairSweep.SelfAndCrossWithGradient(device, in _term0, y, b, x, a, d, diagonal: true, _g2, _g0, dy);
                }
                double _e6 = global::KernelDsl.Runtime.ScalarMath<global::KernelDsl.Runtime.ScalarD>.Log(_e5);
                double _e7 = (-2.0) * _e6;
                double _e11 = global::KernelDsl.Runtime.ScalarMath<global::KernelDsl.Runtime.ScalarD>.Log(_e10);
                double _e12 = _e7 + _e11;
                double _e16 = global::KernelDsl.Runtime.ScalarMath<global::KernelDsl.Runtime.ScalarD>.Log(_e15);
                double _e17 = _e12 + _e16;
                return (double)(_e17);
            }

            /// <inheritdoc cref="Value(global::KernelDsl.Runtime.Gpu.KernelDevice, global::System.ReadOnlySpan{float}, global::System.ReadOnlySpan{float}, global::System.ReadOnlySpan{float}, global::System.ReadOnlySpan{float}, int, float)"/>
            public static double Value(
                global::KernelDsl.Runtime.Gpu.KernelDevice device, global::System.ReadOnlySpan<double> x, global::System.ReadOnlySpan<double> a,
                global::System.ReadOnlySpan<double> y, global::System.ReadOnlySpan<double> b, int d, double s)
            {
                if (device is null) throw new global::System.ArgumentNullException(nameof(device));
                using var _b_x = device.Upload(x);
                using var _b_a = device.Upload(a);
                using var _b_y = device.Upload(y);
                using var _b_b = device.Upload(b);
                return Value(device, _b_x.View.SubView(0, x.Length), _b_a.View.SubView(0, a.Length), _b_y.View.SubView(0, y.Length), _b_b.View.SubView(0, b.Length), d, s);
            }

            /// <inheritdoc cref="ValueAndGradient(global::KernelDsl.Runtime.Gpu.KernelDevice, global::System.ReadOnlySpan{float}, global::System.ReadOnlySpan{float}, global::System.ReadOnlySpan{float}, global::System.ReadOnlySpan{float}, int, global::System.Span{float}, global::System.Span{float}, float)"/>
            public static double ValueAndGradient(
                global::KernelDsl.Runtime.Gpu.KernelDevice device, global::System.ReadOnlySpan<double> x, global::System.ReadOnlySpan<double> a,
                global::System.ReadOnlySpan<double> y, global::System.ReadOnlySpan<double> b, int d, global::System.Span<double> dx,
                global::System.Span<double> dy, double s)
            {
                if (device is null) throw new global::System.ArgumentNullException(nameof(device));
                using var _b_x = device.Upload(x);
                using var _b_a = device.Upload(a);
                using var _b_y = device.Upload(y);
                using var _b_b = device.Upload(b);
                using var _g_x = device.Allocate<double>(dx.Length);
                using var _g_y = device.Allocate<double>(dy.Length);
                double _value = ValueAndGradient(device, _b_x.View.SubView(0, x.Length), _b_a.View.SubView(0, a.Length), _b_y.View.SubView(0, y.Length), _b_b.View.SubView(0, b.Length), d, _g_x.View.SubView(0, dx.Length), _g_y.View.SubView(0, dy.Length), s);
                device.Download(_g_x.View.SubView(0, dx.Length), dx);
                device.Download(_g_y.View.SubView(0, dy.Length), dy);
                return _value;
            }

            /// <summary>The pair term <c>φ(f) = exp(-(f / (4 * s^2)))</c> of the pair feature <c>f = sqdist(u, v)</c>, and its slope <c>φ'(f)</c>, on the device.</summary>
            private readonly struct _PairTerm0<_T> : global::KernelDsl.Runtime.Gpu.IGpuPairTerm<_T>
                where _T : unmanaged, global::System.Numerics.IFloatingPointIeee754<_T>
            {
                private readonly global::KernelDsl.Runtime.Gpu.GpuPairConstants<_T> _c;

                /// <summary>Folds the parameter-only subexpressions of the term into its constants, once per call, in double.</summary>
                public _PairTerm0(double s)
                {
                    double _s3 = global::KernelDsl.Runtime.ScalarMath<global::KernelDsl.Runtime.ScalarD>.PowInt(s, 2);
                    double _s4 = 4.0 * _s3;
                    double _s11 = 1.0 / _s4;
                    _c.C0 = _T.CreateTruncating(_s4); // 4 * s^2
                    _c.C1 = _T.CreateTruncating(_s11); // 1 / (4 * s^2)
                }

                /// <inheritdoc/>
                public static global::KernelDsl.Runtime.PairFeature Feature => global::KernelDsl.Runtime.PairFeature.SquaredDistance;

                /// <inheritdoc/>
                public global::KernelDsl.Runtime.Gpu.GpuPairConstants<_T> Constants => _c;

                /// <inheritdoc/>
                public static _T Value(global::KernelDsl.Runtime.Gpu.GpuPairConstants<_T> c, _T feature)
                {
                    _T v5 = feature / c.C0;
                    _T v6 = -v5;
                    _T v7 = global::KernelDsl.Runtime.Gpu.GpuMath<_T>.Exp(v6);
                    return v7;
                }

                /// <inheritdoc/>
                public static _T ValueAndSlope(global::KernelDsl.Runtime.Gpu.GpuPairConstants<_T> c, _T feature, out _T slope)
                {
                    _T v5 = feature / c.C0;
                    _T v6 = -v5;
                    _T v7 = global::KernelDsl.Runtime.Gpu.GpuMath<_T>.Exp(v6);
                    _T v12 = v7 * c.C1;
                    _T v13 = -v12;
                    slope = v13;
                    return v7;
                }
            }
        }
