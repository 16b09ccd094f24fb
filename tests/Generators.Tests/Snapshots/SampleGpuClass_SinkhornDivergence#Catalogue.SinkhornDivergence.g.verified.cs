        /// <summary>The same formula on an ILGPU accelerator (CUDA, OpenCL or ILGPU's CPU accelerator): the transport over float and double views of the clouds (and host spans, which it copies).</summary>
        /// <remarks>
        /// Each entry point is one call of the GPU Sinkhorn solver with the same scheme, options and result as the CPU class's:
        /// the potentials stay on the device for the whole solve, every softmin is one sweep of the GPU pair engine (one thread
        /// per point, the other cloud streamed through shared memory in tiles, sums in double, no atomics: the same bits on
        /// every run), memory O((n + m) d). ε is computed on the host as the CPU class computes it. Calls are synchronous.
        /// </remarks>
        public static class Gpu
        {
            /// <summary>The debiased Sinkhorn divergence <c>S = OT_ε(a, b) - OT_ε(a, a)/2 - OT_ε(b, b)/2</c> between the clouds <c>x</c> and <c>y</c>, by the GPU Sinkhorn solver on device views.</summary>
            /// <param name="device">The device the views live on.</param>
            /// <param name="x">The points of cloud <c>x</c> (the first marginal, potential f) on the device, row-major: one row of <paramref name="d"/> features per point.</param>
            /// <param name="a">The weights of the points of <c>x</c> on the device: positive, one per point; both clouds' weights must have the same sum.</param>
            /// <param name="y">The points of cloud <c>y</c> (the second marginal, potential g) on the device, row-major: one row of <paramref name="d"/> features per point.</param>
            /// <param name="b">The weights of the points of <c>y</c> on the device: positive, one per point; both clouds' weights must have the same sum.</param>
            /// <param name="d">The number of features of a point, the same for both clouds.</param>
            /// <param name="blur">Parameter <c>blur</c> of the formula.</param>
            /// <param name="options">How the solver runs (ε-scaling, tolerance, iteration budget); null for <see cref="global::KernelDsl.SinkhornOptions.Default"/>.</param>
            /// <returns>The value (accumulated in double), the iterations run, the marginal error, whether the run converged (check it, or read <see cref="global::KernelDsl.SinkhornResult.ConvergedValue"/>), and ε.</returns>
            /// <exception cref="global::System.ArgumentException"><paramref name="d"/> is below 1, a cloud is empty or its length is not a multiple of <paramref name="d"/>, weights are not one per point, not positive or their sums differ, a view is not on the device's accelerator.</exception>
            /// <exception cref="global::System.ArgumentOutOfRangeException">ε, computed from the parameters, is not positive and finite (the exception names the first parameter ε reads).</exception>
            /// <exception cref="global::KernelDsl.SinkhornNotConvergedException">The run did not converge and <see cref="global::KernelDsl.SinkhornOptions.ThrowIfNotConverged"/> is set.</exception>
            /// <remarks>
            /// The plan: one run of the GPU Sinkhorn solver (the CPU class's scheme: ε-scaling from the clouds' diameter down to ε,
            /// symmetric log-domain updates, then updates at ε until the marginals hold to the tolerance). Every softmin is a
            /// log-sum-exp sweep over j on the device with the cost <c>c(f)</c> below: memory O((n + m) d), never an n × m buffer;
            /// per iteration only the marginal errors reach the host. Weights absent from the header are uniform (1/n, 1/m).
            /// <code>
            /// c(f) = f / 2, f = sqdist(u, v)
            /// ε = blur^2
            /// OT_ε(a, b) = min_π &lt;π, C&gt; + ε KL(π | a ⊗ b) = &lt;a, f&gt; + &lt;b, g&gt;, C_ij = c(x_i, y_j)
            /// a: the weights a of x; b: the weights b of y
            /// value = OT_ε(a, b) - OT_ε(a, a)/2 - OT_ε(b, b)/2
            /// softmin: f_i = -ε log Σ_j b_j exp((g_j - C_ij) / ε), a log-sum-exp sweep over j (and g from f over i)
            /// gradients: through the converged potentials (envelope theorem): ∂/∂x_i = Σ_j π_ij ∂c/∂x_i - (the same for OT_ε(a, a))
            /// </code>
            /// </remarks>
            public static global::KernelDsl.SinkhornResult Value(
                global::KernelDsl.Runtime.Gpu.KernelDevice device, global::ILGPU.ArrayView<float> x, global::ILGPU.ArrayView<float> a,
                global::ILGPU.ArrayView<float> y, global::ILGPU.ArrayView<float> b, int d, float blur, global::KernelDsl.SinkhornOptions? options = null)
            {
                int _n = global::KernelDsl.Runtime.Gpu.GpuPairSweep.Points(device, x, d, nameof(x)), _m = global::KernelDsl.Runtime.Gpu.GpuPairSweep.Points(device, y, d, nameof(y));
                global::KernelDsl.Runtime.Gpu.GpuPairSweep.Weights(device, a, _n, nameof(a), nameof(x));
                global::KernelDsl.Runtime.Gpu.GpuPairSweep.Weights(device, b, _m, nameof(b), nameof(y));
                // The weights' values under the caller's names (positive, finite, equal masses), on a host copy.
                var _ha = new float[_n]; device.Download(a, _ha);
                var _hb = new float[_m]; device.Download(b, _hb);
                global::KernelDsl.Runtime.TransportChecks.Masses<float>(_ha, _n, nameof(a), _hb, _m, nameof(b), global::KernelDsl.Runtime.TransportChecks.FloatMassTolerance);
                double _epsilon = _Epsilon(blur);
                var _cost = new _PairTerm0<float>(blur);
                // S = OT_ε(a, b) - OT_ε(a, a)/2 - OT_ε(b, b)/2: ε-scaling, symmetric softmin sweeps on the device, gradients through the converged potentials.
                return global::KernelDsl.Runtime.Gpu.GpuSinkhornSweep.Solve(device, in _cost, x, a, y, b, d, _epsilon, debias: true, options, default);
            }

            /// <summary>The value and its gradient with respect to the points of both clouds, through the converged potentials (the envelope theorem: no differentiation through the iterations).</summary>
            /// <param name="device">The device the views live on.</param>
            /// <param name="x">The points of cloud <c>x</c> (the first marginal, potential f) on the device, row-major: one row of <paramref name="d"/> features per point.</param>
            /// <param name="a">The weights of the points of <c>x</c> on the device: positive, one per point; both clouds' weights must have the same sum.</param>
            /// <param name="y">The points of cloud <c>y</c> (the second marginal, potential g) on the device, row-major: one row of <paramref name="d"/> features per point.</param>
            /// <param name="b">The weights of the points of <c>y</c> on the device: positive, one per point; both clouds' weights must have the same sum.</param>
            /// <param name="d">The number of features of a point, the same for both clouds.</param>
            /// <param name="dx">Receives ∂value/∂x (row-major, as <c>x</c>, on the device); pass an empty view to skip it.</param>
            /// <param name="dy">Receives ∂value/∂y (row-major, as <c>y</c>, on the device); pass an empty view to skip it.</param>
            /// <param name="blur">Parameter <c>blur</c> of the formula.</param>
            /// <param name="options">How the solver runs (ε-scaling, tolerance, iteration budget); null for <see cref="global::KernelDsl.SinkhornOptions.Default"/>.</param>
            /// <returns>The value (accumulated in double), the iterations run, the marginal error, whether the run converged (check it, or read <see cref="global::KernelDsl.SinkhornResult.ConvergedValue"/>), and ε.</returns>
            /// <exception cref="global::System.ArgumentException"><paramref name="d"/> is below 1, a cloud is empty or its length is not a multiple of <paramref name="d"/>, weights are not one per point, not positive or their sums differ, a view is not on the device's accelerator, or an output is neither empty nor of its length, or overlaps an input or another output.</exception>
            /// <exception cref="global::System.ArgumentOutOfRangeException">ε, computed from the parameters, is not positive and finite (the exception names the first parameter ε reads).</exception>
            /// <exception cref="global::KernelDsl.SinkhornNotConvergedException">The run did not converge and <see cref="global::KernelDsl.SinkhornOptions.ThrowIfNotConverged"/> is set.</exception>
            public static global::KernelDsl.SinkhornResult ValueAndGradient(
                global::KernelDsl.Runtime.Gpu.KernelDevice device, global::ILGPU.ArrayView<float> x, global::ILGPU.ArrayView<float> a,
                global::ILGPU.ArrayView<float> y, global::ILGPU.ArrayView<float> b, int d, global::ILGPU.ArrayView<float> dx, global::ILGPU.ArrayView<float> dy,
                float blur, global::KernelDsl.SinkhornOptions? options = null)
            {
                int _n = global::KernelDsl.Runtime.Gpu.GpuPairSweep.Points(device, x, d, nameof(x)), _m = global::KernelDsl.Runtime.Gpu.GpuPairSweep.Points(device, y, d, nameof(y));
                global::KernelDsl.Runtime.Gpu.GpuPairSweep.Weights(device, a, _n, nameof(a), nameof(x));
                global::KernelDsl.Runtime.Gpu.GpuPairSweep.Weights(device, b, _m, nameof(b), nameof(y));
                // The weights' values under the caller's names (positive, finite, equal masses), on a host copy.
                var _ha = new float[_n]; device.Download(a, _ha);
                var _hb = new float[_m]; device.Download(b, _hb);
                global::KernelDsl.Runtime.TransportChecks.Masses<float>(_ha, _n, nameof(a), _hb, _m, nameof(b), global::KernelDsl.Runtime.TransportChecks.FloatMassTolerance);
                global::KernelDsl.Runtime.Gpu.GpuPairSweep.Gradient(device, dx, x.Length, nameof(dx), x, a, y, b);
                global::KernelDsl.Runtime.Gpu.GpuPairSweep.Gradient(device, dy, y.Length, nameof(dy), x, a, y, b);
                if (global::KernelDsl.Runtime.Gpu.GpuCopy.Overlaps(dy, dx)) throw global::KernelDsl.Runtime.Partials.GradientsOverlap(nameof(dy), nameof(dx));
                double _epsilon = _Epsilon(blur);
                var _cost = new _PairTerm0<float>(blur);
                // S = OT_ε(a, b) - OT_ε(a, a)/2 - OT_ε(b, b)/2: ε-scaling, symmetric softmin sweeps on the device, gradients through the converged potentials.
                return global::KernelDsl.Runtime.Gpu.GpuSinkhornSweep.Solve(device, in _cost, x, a, y, b, d, _epsilon, debias: true, options, new global::KernelDsl.Runtime.Gpu.GpuSinkhornOutputs<float> { GradX = dx, GradY = dy });
            }

            /// <summary>The value and its gradients with respect to the points and the weights of both clouds, through the converged potentials.</summary>
            /// <param name="device">The device the views live on.</param>
            /// <param name="x">The points of cloud <c>x</c> (the first marginal, potential f) on the device, row-major: one row of <paramref name="d"/> features per point.</param>
            /// <param name="a">The weights of the points of <c>x</c> on the device: positive, one per point; both clouds' weights must have the same sum.</param>
            /// <param name="y">The points of cloud <c>y</c> (the second marginal, potential g) on the device, row-major: one row of <paramref name="d"/> features per point.</param>
            /// <param name="b">The weights of the points of <c>y</c> on the device: positive, one per point; both clouds' weights must have the same sum.</param>
            /// <param name="d">The number of features of a point, the same for both clouds.</param>
            /// <param name="dx">Receives ∂value/∂x (row-major, as <c>x</c>, on the device); pass an empty view to skip it.</param>
            /// <param name="dy">Receives ∂value/∂y (row-major, as <c>y</c>, on the device); pass an empty view to skip it.</param>
            /// <param name="da">Receives ∂value/∂a (on the device): GeomLoss's convention, the potential f minus the self problem's (defined up to a constant: the weights' sums are tied); empty skips it.</param>
            /// <param name="db">Receives ∂value/∂b (on the device): GeomLoss's convention, the potential g minus the self problem's; empty skips it.</param>
            /// <param name="blur">Parameter <c>blur</c> of the formula.</param>
            /// <param name="options">How the solver runs (ε-scaling, tolerance, iteration budget); null for <see cref="global::KernelDsl.SinkhornOptions.Default"/>.</param>
            /// <returns>The value (accumulated in double), the iterations run, the marginal error, whether the run converged (check it, or read <see cref="global::KernelDsl.SinkhornResult.ConvergedValue"/>), and ε.</returns>
            /// <exception cref="global::System.ArgumentException"><paramref name="d"/> is below 1, a cloud is empty or its length is not a multiple of <paramref name="d"/>, weights are not one per point, not positive or their sums differ, a view is not on the device's accelerator, or an output is neither empty nor of its length, or overlaps an input or another output.</exception>
            /// <exception cref="global::System.ArgumentOutOfRangeException">ε, computed from the parameters, is not positive and finite (the exception names the first parameter ε reads).</exception>
            /// <exception cref="global::KernelDsl.SinkhornNotConvergedException">The run did not converge and <see cref="global::KernelDsl.SinkhornOptions.ThrowIfNotConverged"/> is set.</exception>
            public static global::KernelDsl.SinkhornResult ValueAndGradient(
                global::KernelDsl.Runtime.Gpu.KernelDevice device, global::ILGPU.ArrayView<float> x, global::ILGPU.ArrayView<float> a,
                global::ILGPU.ArrayView<float> y, global::ILGPU.ArrayView<float> b, int d, global::ILGPU.ArrayView<float> dx, global::ILGPU.ArrayView<float> dy,
                global::ILGPU.ArrayView<float> da, global::ILGPU.ArrayView<float> db, float blur, global::KernelDsl.SinkhornOptions? options = null)
            {
                int _n = global::KernelDsl.Runtime.Gpu.GpuPairSweep.Points(device, x, d, nameof(x)), _m = global::KernelDsl.Runtime.Gpu.GpuPairSweep.Points(device, y, d, nameof(y));
                global::KernelDsl.Runtime.Gpu.GpuPairSweep.Weights(device, a, _n, nameof(a), nameof(x));
                global::KernelDsl.Runtime.Gpu.GpuPairSweep.Weights(device, b, _m, nameof(b), nameof(y));
                // The weights' values under the caller's names (positive, finite, equal masses), on a host copy.
                var _ha = new float[_n]; device.Download(a, _ha);
                var _hb = new float[_m]; device.Download(b, _hb);
                global::KernelDsl.Runtime.TransportChecks.Masses<float>(_ha, _n, nameof(a), _hb, _m, nameof(b), global::KernelDsl.Runtime.TransportChecks.FloatMassTolerance);
                global::KernelDsl.Runtime.Gpu.GpuPairSweep.Gradient(device, dx, x.Length, nameof(dx), x, a, y, b);
                global::KernelDsl.Runtime.Gpu.GpuPairSweep.Gradient(device, dy, y.Length, nameof(dy), x, a, y, b);
                if (global::KernelDsl.Runtime.Gpu.GpuCopy.Overlaps(dy, dx)) throw global::KernelDsl.Runtime.Partials.GradientsOverlap(nameof(dy), nameof(dx));
                global::KernelDsl.Runtime.Gpu.GpuPairSweep.Gradient(device, da, _n, nameof(da), x, a, y, b);
                if (global::KernelDsl.Runtime.Gpu.GpuCopy.Overlaps(da, dx)) throw global::KernelDsl.Runtime.Partials.GradientsOverlap(nameof(da), nameof(dx));
                if (global::KernelDsl.Runtime.Gpu.GpuCopy.Overlaps(da, dy)) throw global::KernelDsl.Runtime.Partials.GradientsOverlap(nameof(da), nameof(dy));
                global::KernelDsl.Runtime.Gpu.GpuPairSweep.Gradient(device, db, _m, nameof(db), x, a, y, b);
                if (global::KernelDsl.Runtime.Gpu.GpuCopy.Overlaps(db, dx)) throw global::KernelDsl.Runtime.Partials.GradientsOverlap(nameof(db), nameof(dx));
                if (global::KernelDsl.Runtime.Gpu.GpuCopy.Overlaps(db, dy)) throw global::KernelDsl.Runtime.Partials.GradientsOverlap(nameof(db), nameof(dy));
                if (global::KernelDsl.Runtime.Gpu.GpuCopy.Overlaps(db, da)) throw global::KernelDsl.Runtime.Partials.GradientsOverlap(nameof(db), nameof(da));
                double _epsilon = _Epsilon(blur);
                var _cost = new _PairTerm0<float>(blur);
                // S = OT_ε(a, b) - OT_ε(a, a)/2 - OT_ε(b, b)/2: ε-scaling, symmetric softmin sweeps on the device, gradients through the converged potentials.
                return global::KernelDsl.Runtime.Gpu.GpuSinkhornSweep.Solve(device, in _cost, x, a, y, b, d, _epsilon, debias: true, options, new global::KernelDsl.Runtime.Gpu.GpuSinkhornOutputs<float> { GradX = dx, GradY = dy, GradA = da, GradB = db });
            }

            /// <summary>Solves OT_ε(a, b) and writes its dual potentials f (on <c>x</c>) and g (on <c>y</c>), after a final exact update; the result is the formula's value.</summary>
            /// <param name="device">The device the views live on.</param>
            /// <param name="x">The points of cloud <c>x</c> (the first marginal, potential f) on the device, row-major: one row of <paramref name="d"/> features per point.</param>
            /// <param name="a">The weights of the points of <c>x</c> on the device: positive, one per point; both clouds' weights must have the same sum.</param>
            /// <param name="y">The points of cloud <c>y</c> (the second marginal, potential g) on the device, row-major: one row of <paramref name="d"/> features per point.</param>
            /// <param name="b">The weights of the points of <c>y</c> on the device: positive, one per point; both clouds' weights must have the same sum.</param>
            /// <param name="d">The number of features of a point, the same for both clouds.</param>
            /// <param name="f">Receives f, one per point of <c>x</c> (on the device); empty skips it.</param>
            /// <param name="g">Receives g, one per point of <c>y</c> (on the device; what <c>ApplyPlan</c> and <c>BarycentricMap</c> take); empty skips it.</param>
            /// <param name="blur">Parameter <c>blur</c> of the formula.</param>
            /// <param name="options">How the solver runs (ε-scaling, tolerance, iteration budget); null for <see cref="global::KernelDsl.SinkhornOptions.Default"/>.</param>
            /// <returns>The value (accumulated in double), the iterations run, the marginal error, whether the run converged (check it, or read <see cref="global::KernelDsl.SinkhornResult.ConvergedValue"/>), and ε.</returns>
            /// <exception cref="global::System.ArgumentException"><paramref name="d"/> is below 1, a cloud is empty or its length is not a multiple of <paramref name="d"/>, weights are not one per point, not positive or their sums differ, a view is not on the device's accelerator, or an output is neither empty nor of its length, or overlaps an input or another output.</exception>
            /// <exception cref="global::System.ArgumentOutOfRangeException">ε, computed from the parameters, is not positive and finite (the exception names the first parameter ε reads).</exception>
            /// <exception cref="global::KernelDsl.SinkhornNotConvergedException">The run did not converge and <see cref="global::KernelDsl.SinkhornOptions.ThrowIfNotConverged"/> is set.</exception>
            public static global::KernelDsl.SinkhornResult Potentials(
                global::KernelDsl.Runtime.Gpu.KernelDevice device, global::ILGPU.ArrayView<float> x, global::ILGPU.ArrayView<float> a,
                global::ILGPU.ArrayView<float> y, global::ILGPU.ArrayView<float> b, int d, global::ILGPU.ArrayView<float> f, global::ILGPU.ArrayView<float> g,
                float blur, global::KernelDsl.SinkhornOptions? options = null)
            {
                int _n = global::KernelDsl.Runtime.Gpu.GpuPairSweep.Points(device, x, d, nameof(x)), _m = global::KernelDsl.Runtime.Gpu.GpuPairSweep.Points(device, y, d, nameof(y));
                global::KernelDsl.Runtime.Gpu.GpuPairSweep.Weights(device, a, _n, nameof(a), nameof(x));
                global::KernelDsl.Runtime.Gpu.GpuPairSweep.Weights(device, b, _m, nameof(b), nameof(y));
                // The weights' values under the caller's names (positive, finite, equal masses), on a host copy.
                var _ha = new float[_n]; device.Download(a, _ha);
                var _hb = new float[_m]; device.Download(b, _hb);
                global::KernelDsl.Runtime.TransportChecks.Masses<float>(_ha, _n, nameof(a), _hb, _m, nameof(b), global::KernelDsl.Runtime.TransportChecks.FloatMassTolerance);
                global::KernelDsl.Runtime.Gpu.GpuPairSweep.Gradient(device, f, _n, nameof(f), x, a, y, b);
                global::KernelDsl.Runtime.Gpu.GpuPairSweep.Gradient(device, g, _m, nameof(g), x, a, y, b);
                if (global::KernelDsl.Runtime.Gpu.GpuCopy.Overlaps(g, f)) throw global::KernelDsl.Runtime.Partials.GradientsOverlap(nameof(g), nameof(f));
                double _epsilon = _Epsilon(blur);
                var _cost = new _PairTerm0<float>(blur);
                // S = OT_ε(a, b) - OT_ε(a, a)/2 - OT_ε(b, b)/2: ε-scaling, symmetric softmin sweeps on the device, gradients through the converged potentials.
                return global::KernelDsl.Runtime.Gpu.GpuSinkhornSweep.Solve(device, in _cost, x, a, y, b, d, _epsilon, debias: true, options, new global::KernelDsl.Runtime.Gpu.GpuSinkhornOutputs<float> { PotentialF = f, PotentialG = g });
            }

            /// <summary>The entropic plan applied to a payload, <c>output[i, c] = Σ_j π_ij v[j, c]</c>, computed lazily on the device from the potential g (π is never stored).</summary>
            /// <param name="device">The device the views live on.</param>
            /// <param name="x">The points of cloud <c>x</c> (the first marginal, potential f) on the device, row-major: one row of <paramref name="d"/> features per point.</param>
            /// <param name="a">The weights of the points of <c>x</c> on the device: positive, one per point; both clouds' weights must have the same sum.</param>
            /// <param name="y">The points of cloud <c>y</c> (the second marginal, potential g) on the device, row-major: one row of <paramref name="d"/> features per point.</param>
            /// <param name="b">The weights of the points of <c>y</c> on the device: positive, one per point; both clouds' weights must have the same sum.</param>
            /// <param name="d">The number of features of a point, the same for both clouds.</param>
            /// <param name="g">The potential g of a solve at the same ε (from <c>Potentials</c>) on the device.</param>
            /// <param name="v">The payload on the device, one row of <paramref name="p"/> numbers per point of <c>y</c>.</param>
            /// <param name="p">The payload's width.</param>
            /// <param name="output">Receives the result (on the device), one row of <paramref name="p"/> numbers per point of <c>x</c>.</param>
            /// <param name="blur">Parameter <c>blur</c> of the formula.</param>
            /// <exception cref="global::System.ArgumentException"><paramref name="d"/> is below 1, a cloud is empty or its length is not a multiple of <paramref name="d"/>, weights are not one per point, not positive or their sums differ, a view is not on the device's accelerator, <paramref name="g"/> is not one per point of <c>y</c>, <paramref name="v"/> is not <paramref name="p"/> numbers per point of <c>y</c>, or <paramref name="output"/> is not one row per point of <c>x</c> or overlaps an input.</exception>
            /// <exception cref="global::System.ArgumentOutOfRangeException">ε, computed from the parameters, is not positive and finite (the exception names the first parameter ε reads), or a payload width is below 1.</exception>
            public static void ApplyPlan(
                global::KernelDsl.Runtime.Gpu.KernelDevice device, global::ILGPU.ArrayView<float> x, global::ILGPU.ArrayView<float> a,
                global::ILGPU.ArrayView<float> y, global::ILGPU.ArrayView<float> b, int d, global::ILGPU.ArrayView<float> g, global::ILGPU.ArrayView<float> v,
                int p, global::ILGPU.ArrayView<float> output, float blur)
            {
                int _n = global::KernelDsl.Runtime.Gpu.GpuPairSweep.Points(device, x, d, nameof(x)), _m = global::KernelDsl.Runtime.Gpu.GpuPairSweep.Points(device, y, d, nameof(y));
                global::KernelDsl.Runtime.Gpu.GpuPairSweep.Weights(device, a, _n, nameof(a), nameof(x));
                global::KernelDsl.Runtime.Gpu.GpuPairSweep.Weights(device, b, _m, nameof(b), nameof(y));
                // The weights' values under the caller's names (positive, finite, equal masses), on a host copy.
                var _ha = new float[_n]; device.Download(a, _ha);
                var _hb = new float[_m]; device.Download(b, _hb);
                global::KernelDsl.Runtime.TransportChecks.Masses<float>(_ha, _n, nameof(a), _hb, _m, nameof(b), global::KernelDsl.Runtime.TransportChecks.FloatMassTolerance);
                double _epsilon = _Epsilon(blur);
                var _cost = new _PairTerm0<float>(blur);
                if (p < 1) throw new global::System.ArgumentOutOfRangeException(nameof(p), p, "A payload has at least one value per point.");
                if (v.Length != (long)_m * p)
                    throw new global::System.ArgumentException($"'v' has length {v.Length}; it holds {p} values per point of 'y' ({_m}).", nameof(v));
                global::KernelDsl.Runtime.Gpu.GpuCopy.CheckView(device.Accelerator, v, nameof(v));
                // output[i, c] = Σ_j π_ij v[j, c], π_ij = a_i b_j exp((f_i + g_j - c_ij) / ε), f from g by one exact softmin sweep on the device (nothing n × m is stored).
                global::KernelDsl.Runtime.Gpu.GpuSinkhornSweep.ApplyPlan(device, in _cost, x, a, y, b, d, _epsilon, g, v, p, output);
            }

            /// <summary>The barycentric map of the entropic plan, <c>T(x_i) = Σ_j π_ij y_j / a_i</c>, computed lazily on the device from the potential g.</summary>
            /// <param name="device">The device the views live on.</param>
            /// <param name="x">The points of cloud <c>x</c> (the first marginal, potential f) on the device, row-major: one row of <paramref name="d"/> features per point.</param>
            /// <param name="a">The weights of the points of <c>x</c> on the device: positive, one per point; both clouds' weights must have the same sum.</param>
            /// <param name="y">The points of cloud <c>y</c> (the second marginal, potential g) on the device, row-major: one row of <paramref name="d"/> features per point.</param>
            /// <param name="b">The weights of the points of <c>y</c> on the device: positive, one per point; both clouds' weights must have the same sum.</param>
            /// <param name="d">The number of features of a point, the same for both clouds.</param>
            /// <param name="g">The potential g of a solve at the same ε (from <c>Potentials</c>) on the device.</param>
            /// <param name="output">Receives the result (on the device), one row of <paramref name="d"/> numbers per point of <c>x</c>.</param>
            /// <param name="blur">Parameter <c>blur</c> of the formula.</param>
            /// <exception cref="global::System.ArgumentException"><paramref name="d"/> is below 1, a cloud is empty or its length is not a multiple of <paramref name="d"/>, weights are not one per point, not positive or their sums differ, a view is not on the device's accelerator, <paramref name="g"/> is not one per point of <c>y</c>, or <paramref name="output"/> is not one row per point of <c>x</c> or overlaps an input.</exception>
            /// <exception cref="global::System.ArgumentOutOfRangeException">ε, computed from the parameters, is not positive and finite (the exception names the first parameter ε reads).</exception>
            public static void BarycentricMap(
                global::KernelDsl.Runtime.Gpu.KernelDevice device, global::ILGPU.ArrayView<float> x, global::ILGPU.ArrayView<float> a,
                global::ILGPU.ArrayView<float> y, global::ILGPU.ArrayView<float> b, int d, global::ILGPU.ArrayView<float> g,
                global::ILGPU.ArrayView<float> output, float blur)
            {
                int _n = global::KernelDsl.Runtime.Gpu.GpuPairSweep.Points(device, x, d, nameof(x)), _m = global::KernelDsl.Runtime.Gpu.GpuPairSweep.Points(device, y, d, nameof(y));
                global::KernelDsl.Runtime.Gpu.GpuPairSweep.Weights(device, a, _n, nameof(a), nameof(x));
                global::KernelDsl.Runtime.Gpu.GpuPairSweep.Weights(device, b, _m, nameof(b), nameof(y));
                // The weights' values under the caller's names (positive, finite, equal masses), on a host copy.
                var _ha = new float[_n]; device.Download(a, _ha);
                var _hb = new float[_m]; device.Download(b, _hb);
                global::KernelDsl.Runtime.TransportChecks.Masses<float>(_ha, _n, nameof(a), _hb, _m, nameof(b), global::KernelDsl.Runtime.TransportChecks.FloatMassTolerance);
                double _epsilon = _Epsilon(blur);
                var _cost = new _PairTerm0<float>(blur);
                // T(x_i) = Σ_j π_ij y_j / a_i, with f from g by one exact softmin sweep on the device (nothing n × m is stored).
                global::KernelDsl.Runtime.Gpu.GpuSinkhornSweep.BarycentricMap(device, in _cost, x, a, y, b, d, _epsilon, g, output);
            }

            /// <summary>The debiased Sinkhorn divergence <c>S = OT_ε(a, b) - OT_ε(a, a)/2 - OT_ε(b, b)/2</c> between host clouds: copies them to the device, runs <c>Value</c> over the views, frees the copies.</summary>
            /// <param name="device">The device that solves.</param>
            /// <param name="x">The points of cloud <c>x</c> (the first marginal, potential f) on the host (copied to the device), row-major: one row of <paramref name="d"/> features per point.</param>
            /// <param name="a">The weights of the points of <c>x</c> on the host (copied to the device): positive, one per point; both clouds' weights must have the same sum.</param>
            /// <param name="y">The points of cloud <c>y</c> (the second marginal, potential g) on the host (copied to the device), row-major: one row of <paramref name="d"/> features per point.</param>
            /// <param name="b">The weights of the points of <c>y</c> on the host (copied to the device): positive, one per point; both clouds' weights must have the same sum.</param>
            /// <param name="d">The number of features of a point, the same for both clouds.</param>
            /// <param name="blur">Parameter <c>blur</c> of the formula.</param>
            /// <param name="options">How the solver runs (ε-scaling, tolerance, iteration budget); null for <see cref="global::KernelDsl.SinkhornOptions.Default"/>.</param>
            /// <returns>The value (accumulated in double), the iterations run, the marginal error, whether the run converged (check it, or read <see cref="global::KernelDsl.SinkhornResult.ConvergedValue"/>), and ε.</returns>
            /// <exception cref="global::System.ArgumentException"><paramref name="d"/> is below 1, a cloud is empty or its length is not a multiple of <paramref name="d"/>, weights are not one per point, not positive or their sums differ.</exception>
            /// <exception cref="global::System.ArgumentOutOfRangeException">ε, computed from the parameters, is not positive and finite (the exception names the first parameter ε reads).</exception>
            /// <exception cref="global::KernelDsl.SinkhornNotConvergedException">The run did not converge and <see cref="global::KernelDsl.SinkhornOptions.ThrowIfNotConverged"/> is set.</exception>
            public static global::KernelDsl.SinkhornResult Value(
                global::KernelDsl.Runtime.Gpu.KernelDevice device, global::System.ReadOnlySpan<float> x, global::System.ReadOnlySpan<float> a,
                global::System.ReadOnlySpan<float> y, global::System.ReadOnlySpan<float> b, int d, float blur,
                global::KernelDsl.SinkhornOptions? options = null)
            {
                if (device is null) throw new global::System.ArgumentNullException(nameof(device));
                using var _b_x = device.Upload(x);
                using var _b_a = device.Upload(a);
                using var _b_y = device.Upload(y);
                using var _b_b = device.Upload(b);
                var _result = Value(device, _b_x.View.SubView(0, x.Length), _b_a.View.SubView(0, a.Length), _b_y.View.SubView(0, y.Length), _b_b.View.SubView(0, b.Length), d, blur, options);
                return _result;
            }

            /// <summary>The value and its gradient with respect to the points of both clouds, through the converged potentials (the envelope theorem: no differentiation through the iterations) (host spans: copied in, the outputs copied back).</summary>
            /// <param name="device">The device that solves.</param>
            /// <param name="x">The points of cloud <c>x</c> (the first marginal, potential f) on the host (copied to the device), row-major: one row of <paramref name="d"/> features per point.</param>
            /// <param name="a">The weights of the points of <c>x</c> on the host (copied to the device): positive, one per point; both clouds' weights must have the same sum.</param>
            /// <param name="y">The points of cloud <c>y</c> (the second marginal, potential g) on the host (copied to the device), row-major: one row of <paramref name="d"/> features per point.</param>
            /// <param name="b">The weights of the points of <c>y</c> on the host (copied to the device): positive, one per point; both clouds' weights must have the same sum.</param>
            /// <param name="d">The number of features of a point, the same for both clouds.</param>
            /// <param name="dx">Receives ∂value/∂x (row-major, as <c>x</c>, copied back from the device); pass an empty span to skip it.</param>
            /// <param name="dy">Receives ∂value/∂y (row-major, as <c>y</c>, copied back from the device); pass an empty span to skip it.</param>
            /// <param name="blur">Parameter <c>blur</c> of the formula.</param>
            /// <param name="options">How the solver runs (ε-scaling, tolerance, iteration budget); null for <see cref="global::KernelDsl.SinkhornOptions.Default"/>.</param>
            /// <returns>The value (accumulated in double), the iterations run, the marginal error, whether the run converged (check it, or read <see cref="global::KernelDsl.SinkhornResult.ConvergedValue"/>), and ε.</returns>
            /// <exception cref="global::System.ArgumentException"><paramref name="d"/> is below 1, a cloud is empty or its length is not a multiple of <paramref name="d"/>, weights are not one per point, not positive or their sums differ, or an output is neither empty nor of its length, or shares memory with another output.</exception>
            /// <exception cref="global::System.ArgumentOutOfRangeException">ε, computed from the parameters, is not positive and finite (the exception names the first parameter ε reads).</exception>
            /// <exception cref="global::KernelDsl.SinkhornNotConvergedException">The run did not converge and <see cref="global::KernelDsl.SinkhornOptions.ThrowIfNotConverged"/> is set.</exception>
            public static global::KernelDsl.SinkhornResult ValueAndGradient(
                global::KernelDsl.Runtime.Gpu.KernelDevice device, global::System.ReadOnlySpan<float> x, global::System.ReadOnlySpan<float> a,
                global::System.ReadOnlySpan<float> y, global::System.ReadOnlySpan<float> b, int d, global::System.Span<float> dx, global::System.Span<float> dy,
                float blur, global::KernelDsl.SinkhornOptions? options = null)
            {
                if (device is null) throw new global::System.ArgumentNullException(nameof(device));
                global::KernelDsl.Runtime.SpanChecks.Apart(dy, dx, nameof(dy), nameof(dx));
                using var _b_x = device.Upload(x);
                using var _b_a = device.Upload(a);
                using var _b_y = device.Upload(y);
                using var _b_b = device.Upload(b);
                using var _o_dx = device.Allocate<float>(dx.Length);
                using var _o_dy = device.Allocate<float>(dy.Length);
                var _result = ValueAndGradient(device, _b_x.View.SubView(0, x.Length), _b_a.View.SubView(0, a.Length), _b_y.View.SubView(0, y.Length), _b_b.View.SubView(0, b.Length), d, _o_dx.View.SubView(0, dx.Length), _o_dy.View.SubView(0, dy.Length), blur, options);
                device.Download(_o_dx.View.SubView(0, dx.Length), dx);
                device.Download(_o_dy.View.SubView(0, dy.Length), dy);
                return _result;
            }

            /// <summary>The value and its gradients with respect to the points and the weights of both clouds, through the converged potentials (host spans: copied in, the outputs copied back).</summary>
            /// <param name="device">The device that solves.</param>
            /// <param name="x">The points of cloud <c>x</c> (the first marginal, potential f) on the host (copied to the device), row-major: one row of <paramref name="d"/> features per point.</param>
            /// <param name="a">The weights of the points of <c>x</c> on the host (copied to the device): positive, one per point; both clouds' weights must have the same sum.</param>
            /// <param name="y">The points of cloud <c>y</c> (the second marginal, potential g) on the host (copied to the device), row-major: one row of <paramref name="d"/> features per point.</param>
            /// <param name="b">The weights of the points of <c>y</c> on the host (copied to the device): positive, one per point; both clouds' weights must have the same sum.</param>
            /// <param name="d">The number of features of a point, the same for both clouds.</param>
            /// <param name="dx">Receives ∂value/∂x (row-major, as <c>x</c>, copied back from the device); pass an empty span to skip it.</param>
            /// <param name="dy">Receives ∂value/∂y (row-major, as <c>y</c>, copied back from the device); pass an empty span to skip it.</param>
            /// <param name="da">Receives ∂value/∂a (copied back from the device): GeomLoss's convention, the potential f minus the self problem's (defined up to a constant: the weights' sums are tied); empty skips it.</param>
            /// <param name="db">Receives ∂value/∂b (copied back from the device): GeomLoss's convention, the potential g minus the self problem's; empty skips it.</param>
            /// <param name="blur">Parameter <c>blur</c> of the formula.</param>
            /// <param name="options">How the solver runs (ε-scaling, tolerance, iteration budget); null for <see cref="global::KernelDsl.SinkhornOptions.Default"/>.</param>
            /// <returns>The value (accumulated in double), the iterations run, the marginal error, whether the run converged (check it, or read <see cref="global::KernelDsl.SinkhornResult.ConvergedValue"/>), and ε.</returns>
            /// <exception cref="global::System.ArgumentException"><paramref name="d"/> is below 1, a cloud is empty or its length is not a multiple of <paramref name="d"/>, weights are not one per point, not positive or their sums differ, or an output is neither empty nor of its length, or shares memory with another output.</exception>
            /// <exception cref="global::System.ArgumentOutOfRangeException">ε, computed from the parameters, is not positive and finite (the exception names the first parameter ε reads).</exception>
            /// <exception cref="global::KernelDsl.SinkhornNotConvergedException">The run did not converge and <see cref="global::KernelDsl.SinkhornOptions.ThrowIfNotConverged"/> is set.</exception>
            public static global::KernelDsl.SinkhornResult ValueAndGradient(
                global::KernelDsl.Runtime.Gpu.KernelDevice device, global::System.ReadOnlySpan<float> x, global::System.ReadOnlySpan<float> a,
                global::System.ReadOnlySpan<float> y, global::System.ReadOnlySpan<float> b, int d, global::System.Span<float> dx, global::System.Span<float> dy,
                global::System.Span<float> da, global::System.Span<float> db, float blur, global::KernelDsl.SinkhornOptions? options = null)
            {
                if (device is null) throw new global::System.ArgumentNullException(nameof(device));
                global::KernelDsl.Runtime.SpanChecks.Apart(dy, dx, nameof(dy), nameof(dx));
                global::KernelDsl.Runtime.SpanChecks.Apart(da, dx, nameof(da), nameof(dx));
                global::KernelDsl.Runtime.SpanChecks.Apart(da, dy, nameof(da), nameof(dy));
                global::KernelDsl.Runtime.SpanChecks.Apart(db, dx, nameof(db), nameof(dx));
                global::KernelDsl.Runtime.SpanChecks.Apart(db, dy, nameof(db), nameof(dy));
                global::KernelDsl.Runtime.SpanChecks.Apart(db, da, nameof(db), nameof(da));
                using var _b_x = device.Upload(x);
                using var _b_a = device.Upload(a);
                using var _b_y = device.Upload(y);
                using var _b_b = device.Upload(b);
                using var _o_dx = device.Allocate<float>(dx.Length);
                using var _o_dy = device.Allocate<float>(dy.Length);
                using var _o_da = device.Allocate<float>(da.Length);
                using var _o_db = device.Allocate<float>(db.Length);
                var _result = ValueAndGradient(device, _b_x.View.SubView(0, x.Length), _b_a.View.SubView(0, a.Length), _b_y.View.SubView(0, y.Length), _b_b.View.SubView(0, b.Length), d, _o_dx.View.SubView(0, dx.Length), _o_dy.View.SubView(0, dy.Length), _o_da.View.SubView(0, da.Length), _o_db.View.SubView(0, db.Length), blur, options);
                device.Download(_o_dx.View.SubView(0, dx.Length), dx);
                device.Download(_o_dy.View.SubView(0, dy.Length), dy);
                device.Download(_o_da.View.SubView(0, da.Length), da);
                device.Download(_o_db.View.SubView(0, db.Length), db);
                return _result;
            }

            /// <summary>Solves OT_ε(a, b) and writes its dual potentials f (on <c>x</c>) and g (on <c>y</c>), after a final exact update; the result is the formula's value.</summary>
            /// <param name="device">The device that solves.</param>
            /// <param name="x">The points of cloud <c>x</c> (the first marginal, potential f) on the host (copied to the device), row-major: one row of <paramref name="d"/> features per point.</param>
            /// <param name="a">The weights of the points of <c>x</c> on the host (copied to the device): positive, one per point; both clouds' weights must have the same sum.</param>
            /// <param name="y">The points of cloud <c>y</c> (the second marginal, potential g) on the host (copied to the device), row-major: one row of <paramref name="d"/> features per point.</param>
            /// <param name="b">The weights of the points of <c>y</c> on the host (copied to the device): positive, one per point; both clouds' weights must have the same sum.</param>
            /// <param name="d">The number of features of a point, the same for both clouds.</param>
            /// <param name="f">Receives f, one per point of <c>x</c> (copied back from the device); empty skips it.</param>
            /// <param name="g">Receives g, one per point of <c>y</c> (copied back from the device; what <c>ApplyPlan</c> and <c>BarycentricMap</c> take); empty skips it.</param>
            /// <param name="blur">Parameter <c>blur</c> of the formula.</param>
            /// <param name="options">How the solver runs (ε-scaling, tolerance, iteration budget); null for <see cref="global::KernelDsl.SinkhornOptions.Default"/>.</param>
            /// <returns>The value (accumulated in double), the iterations run, the marginal error, whether the run converged (check it, or read <see cref="global::KernelDsl.SinkhornResult.ConvergedValue"/>), and ε.</returns>
            /// <exception cref="global::System.ArgumentException"><paramref name="d"/> is below 1, a cloud is empty or its length is not a multiple of <paramref name="d"/>, weights are not one per point, not positive or their sums differ, or an output is neither empty nor of its length, or shares memory with another output.</exception>
            /// <exception cref="global::System.ArgumentOutOfRangeException">ε, computed from the parameters, is not positive and finite (the exception names the first parameter ε reads).</exception>
            /// <exception cref="global::KernelDsl.SinkhornNotConvergedException">The run did not converge and <see cref="global::KernelDsl.SinkhornOptions.ThrowIfNotConverged"/> is set.</exception>
            public static global::KernelDsl.SinkhornResult Potentials(
                global::KernelDsl.Runtime.Gpu.KernelDevice device, global::System.ReadOnlySpan<float> x, global::System.ReadOnlySpan<float> a,
                global::System.ReadOnlySpan<float> y, global::System.ReadOnlySpan<float> b, int d, global::System.Span<float> f, global::System.Span<float> g,
                float blur, global::KernelDsl.SinkhornOptions? options = null)
            {
                if (device is null) throw new global::System.ArgumentNullException(nameof(device));
                global::KernelDsl.Runtime.SpanChecks.Apart(g, f, nameof(g), nameof(f));
                using var _b_x = device.Upload(x);
                using var _b_a = device.Upload(a);
                using var _b_y = device.Upload(y);
                using var _b_b = device.Upload(b);
                using var _o_f = device.Allocate<float>(f.Length);
                using var _o_g = device.Allocate<float>(g.Length);
                var _result = Potentials(device, _b_x.View.SubView(0, x.Length), _b_a.View.SubView(0, a.Length), _b_y.View.SubView(0, y.Length), _b_b.View.SubView(0, b.Length), d, _o_f.View.SubView(0, f.Length), _o_g.View.SubView(0, g.Length), blur, options);
                device.Download(_o_f.View.SubView(0, f.Length), f);
                device.Download(_o_g.View.SubView(0, g.Length), g);
                return _result;
            }

            /// <summary>The entropic plan applied to a payload, <c>output[i, c] = Σ_j π_ij v[j, c]</c>, computed lazily on the device from the potential g (π is never stored).</summary>
            /// <param name="device">The device that solves.</param>
            /// <param name="x">The points of cloud <c>x</c> (the first marginal, potential f) on the host (copied to the device), row-major: one row of <paramref name="d"/> features per point.</param>
            /// <param name="a">The weights of the points of <c>x</c> on the host (copied to the device): positive, one per point; both clouds' weights must have the same sum.</param>
            /// <param name="y">The points of cloud <c>y</c> (the second marginal, potential g) on the host (copied to the device), row-major: one row of <paramref name="d"/> features per point.</param>
            /// <param name="b">The weights of the points of <c>y</c> on the host (copied to the device): positive, one per point; both clouds' weights must have the same sum.</param>
            /// <param name="d">The number of features of a point, the same for both clouds.</param>
            /// <param name="g">The potential g of a solve at the same ε (from <c>Potentials</c>) on the host (copied to the device).</param>
            /// <param name="v">The payload on the host (copied to the device), one row of <paramref name="p"/> numbers per point of <c>y</c>.</param>
            /// <param name="p">The payload's width.</param>
            /// <param name="output">Receives the result (copied back from the device), one row of <paramref name="p"/> numbers per point of <c>x</c>.</param>
            /// <param name="blur">Parameter <c>blur</c> of the formula.</param>
            /// <exception cref="global::System.ArgumentException"><paramref name="d"/> is below 1, a cloud is empty or its length is not a multiple of <paramref name="d"/>, weights are not one per point, not positive or their sums differ, <paramref name="g"/> is not one per point of <c>y</c>, <paramref name="v"/> is not <paramref name="p"/> numbers per point of <c>y</c>, or <paramref name="output"/> is not one row per point of <c>x</c>.</exception>
            /// <exception cref="global::System.ArgumentOutOfRangeException">ε, computed from the parameters, is not positive and finite (the exception names the first parameter ε reads), or a payload width is below 1.</exception>
            public static void ApplyPlan(
                global::KernelDsl.Runtime.Gpu.KernelDevice device, global::System.ReadOnlySpan<float> x, global::System.ReadOnlySpan<float> a,
                global::System.ReadOnlySpan<float> y, global::System.ReadOnlySpan<float> b, int d, global::System.ReadOnlySpan<float> g,
                global::System.ReadOnlySpan<float> v, int p, global::System.Span<float> output, float blur)
            {
                if (device is null) throw new global::System.ArgumentNullException(nameof(device));
                using var _b_x = device.Upload(x);
                using var _b_a = device.Upload(a);
                using var _b_y = device.Upload(y);
                using var _b_b = device.Upload(b);
                using var _b_g = device.Upload(g);
                using var _b_v = device.Upload(v);
                using var _o_output = device.Allocate<float>(output.Length);
                ApplyPlan(device, _b_x.View.SubView(0, x.Length), _b_a.View.SubView(0, a.Length), _b_y.View.SubView(0, y.Length), _b_b.View.SubView(0, b.Length), d, _b_g.View.SubView(0, g.Length), _b_v.View.SubView(0, v.Length), p, _o_output.View.SubView(0, output.Length), blur);
                device.Download(_o_output.View.SubView(0, output.Length), output);
            }

            /// <summary>The barycentric map of the entropic plan, <c>T(x_i) = Σ_j π_ij y_j / a_i</c>, computed lazily on the device from the potential g.</summary>
            /// <param name="device">The device that solves.</param>
            /// <param name="x">The points of cloud <c>x</c> (the first marginal, potential f) on the host (copied to the device), row-major: one row of <paramref name="d"/> features per point.</param>
            /// <param name="a">The weights of the points of <c>x</c> on the host (copied to the device): positive, one per point; both clouds' weights must have the same sum.</param>
            /// <param name="y">The points of cloud <c>y</c> (the second marginal, potential g) on the host (copied to the device), row-major: one row of <paramref name="d"/> features per point.</param>
            /// <param name="b">The weights of the points of <c>y</c> on the host (copied to the device): positive, one per point; both clouds' weights must have the same sum.</param>
            /// <param name="d">The number of features of a point, the same for both clouds.</param>
            /// <param name="g">The potential g of a solve at the same ε (from <c>Potentials</c>) on the host (copied to the device).</param>
            /// <param name="output">Receives the result (copied back from the device), one row of <paramref name="d"/> numbers per point of <c>x</c>.</param>
            /// <param name="blur">Parameter <c>blur</c> of the formula.</param>
            /// <exception cref="global::System.ArgumentException"><paramref name="d"/> is below 1, a cloud is empty or its length is not a multiple of <paramref name="d"/>, weights are not one per point, not positive or their sums differ, <paramref name="g"/> is not one per point of <c>y</c>, or <paramref name="output"/> is not one row per point of <c>x</c>.</exception>
            /// <exception cref="global::System.ArgumentOutOfRangeException">ε, computed from the parameters, is not positive and finite (the exception names the first parameter ε reads).</exception>
            public static void BarycentricMap(
                global::KernelDsl.Runtime.Gpu.KernelDevice device, global::System.ReadOnlySpan<float> x, global::System.ReadOnlySpan<float> a,
                global::System.ReadOnlySpan<float> y, global::System.ReadOnlySpan<float> b, int d, global::System.ReadOnlySpan<float> g,
                global::System.Span<float> output, float blur)
            {
                if (device is null) throw new global::System.ArgumentNullException(nameof(device));
                using var _b_x = device.Upload(x);
                using var _b_a = device.Upload(a);
                using var _b_y = device.Upload(y);
                using var _b_b = device.Upload(b);
                using var _b_g = device.Upload(g);
                using var _o_output = device.Allocate<float>(output.Length);
                BarycentricMap(device, _b_x.View.SubView(0, x.Length), _b_a.View.SubView(0, a.Length), _b_y.View.SubView(0, y.Length), _b_b.View.SubView(0, b.Length), d, _b_g.View.SubView(0, g.Length), _o_output.View.SubView(0, output.Length), blur);
                device.Download(_o_output.View.SubView(0, output.Length), output);
            }

            /// <inheritdoc cref="Value(global::KernelDsl.Runtime.Gpu.KernelDevice, global::ILGPU.ArrayView{float}, global::ILGPU.ArrayView{float}, global::ILGPU.ArrayView{float}, global::ILGPU.ArrayView{float}, int, float, global::KernelDsl.SinkhornOptions)"/>
            public static global::KernelDsl.SinkhornResult Value(
                global::KernelDsl.Runtime.Gpu.KernelDevice device, global::ILGPU.ArrayView<double> x, global::ILGPU.ArrayView<double> a,
                global::ILGPU.ArrayView<double> y, global::ILGPU.ArrayView<double> b, int d, double blur, global::KernelDsl.SinkhornOptions? options = null)
            {
                int _n = global::KernelDsl.Runtime.Gpu.GpuPairSweep.Points(device, x, d, nameof(x)), _m = global::KernelDsl.Runtime.Gpu.GpuPairSweep.Points(device, y, d, nameof(y));
                global::KernelDsl.Runtime.Gpu.GpuPairSweep.Weights(device, a, _n, nameof(a), nameof(x));
                global::KernelDsl.Runtime.Gpu.GpuPairSweep.Weights(device, b, _m, nameof(b), nameof(y));
                // The weights' values under the caller's names (positive, finite, equal masses), on a host copy.
                var _ha = new double[_n]; device.Download(a, _ha);
                var _hb = new double[_m]; device.Download(b, _hb);
                global::KernelDsl.Runtime.TransportChecks.Masses<double>(_ha, _n, nameof(a), _hb, _m, nameof(b), global::KernelDsl.Runtime.TransportChecks.DoubleMassTolerance);
                double _epsilon = _Epsilon(blur);
                var _cost = new _PairTerm0<double>(blur);
                // S = OT_ε(a, b) - OT_ε(a, a)/2 - OT_ε(b, b)/2: ε-scaling, symmetric softmin sweeps on the device, gradients through the converged potentials.
                return global::KernelDsl.Runtime.Gpu.GpuSinkhornSweep.Solve(device, in _cost, x, a, y, b, d, _epsilon, debias: true, options, default);
            }

            /// <inheritdoc cref="ValueAndGradient(global::KernelDsl.Runtime.Gpu.KernelDevice, global::ILGPU.ArrayView{float}, global::ILGPU.ArrayView{float}, global::ILGPU.ArrayView{float}, global::ILGPU.ArrayView{float}, int, global::ILGPU.ArrayView{float}, global::ILGPU.ArrayView{float}, float, global::KernelDsl.SinkhornOptions)"/>
            public static global::KernelDsl.SinkhornResult ValueAndGradient(
                global::KernelDsl.Runtime.Gpu.KernelDevice device, global::ILGPU.ArrayView<double> x, global::ILGPU.ArrayView<double> a,
                global::ILGPU.ArrayView<double> y, global::ILGPU.ArrayView<double> b, int d, global::ILGPU.ArrayView<double> dx,
                global::ILGPU.ArrayView<double> dy, double blur, global::KernelDsl.SinkhornOptions? options = null)
            {
                int _n = global::KernelDsl.Runtime.Gpu.GpuPairSweep.Points(device, x, d, nameof(x)), _m = global::KernelDsl.Runtime.Gpu.GpuPairSweep.Points(device, y, d, nameof(y));
                global::KernelDsl.Runtime.Gpu.GpuPairSweep.Weights(device, a, _n, nameof(a), nameof(x));
                global::KernelDsl.Runtime.Gpu.GpuPairSweep.Weights(device, b, _m, nameof(b), nameof(y));
                // The weights' values under the caller's names (positive, finite, equal masses), on a host copy.
                var _ha = new double[_n]; device.Download(a, _ha);
                var _hb = new double[_m]; device.Download(b, _hb);
                global::KernelDsl.Runtime.TransportChecks.Masses<double>(_ha, _n, nameof(a), _hb, _m, nameof(b), global::KernelDsl.Runtime.TransportChecks.DoubleMassTolerance);
                global::KernelDsl.Runtime.Gpu.GpuPairSweep.Gradient(device, dx, x.Length, nameof(dx), x, a, y, b);
                global::KernelDsl.Runtime.Gpu.GpuPairSweep.Gradient(device, dy, y.Length, nameof(dy), x, a, y, b);
                if (global::KernelDsl.Runtime.Gpu.GpuCopy.Overlaps(dy, dx)) throw global::KernelDsl.Runtime.Partials.GradientsOverlap(nameof(dy), nameof(dx));
                double _epsilon = _Epsilon(blur);
                var _cost = new _PairTerm0<double>(blur);
                // S = OT_ε(a, b) - OT_ε(a, a)/2 - OT_ε(b, b)/2: ε-scaling, symmetric softmin sweeps on the device, gradients through the converged potentials.
                return global::KernelDsl.Runtime.Gpu.GpuSinkhornSweep.Solve(device, in _cost, x, a, y, b, d, _epsilon, debias: true, options, new global::KernelDsl.Runtime.Gpu.GpuSinkhornOutputs<double> { GradX = dx, GradY = dy });
            }

            /// <inheritdoc cref="ValueAndGradient(global::KernelDsl.Runtime.Gpu.KernelDevice, global::ILGPU.ArrayView{float}, global::ILGPU.ArrayView{float}, global::ILGPU.ArrayView{float}, global::ILGPU.ArrayView{float}, int, global::ILGPU.ArrayView{float}, global::ILGPU.ArrayView{float}, global::ILGPU.ArrayView{float}, global::ILGPU.ArrayView{float}, float, global::KernelDsl.SinkhornOptions)"/>
            public static global::KernelDsl.SinkhornResult ValueAndGradient(
                global::KernelDsl.Runtime.Gpu.KernelDevice device, global::ILGPU.ArrayView<double> x, global::ILGPU.ArrayView<double> a,
                global::ILGPU.ArrayView<double> y, global::ILGPU.ArrayView<double> b, int d, global::ILGPU.ArrayView<double> dx,
                global::ILGPU.ArrayView<double> dy, global::ILGPU.ArrayView<double> da, global::ILGPU.ArrayView<double> db, double blur,
                global::KernelDsl.SinkhornOptions? options = null)
            {
                int _n = global::KernelDsl.Runtime.Gpu.GpuPairSweep.Points(device, x, d, nameof(x)), _m = global::KernelDsl.Runtime.Gpu.GpuPairSweep.Points(device, y, d, nameof(y));
                global::KernelDsl.Runtime.Gpu.GpuPairSweep.Weights(device, a, _n, nameof(a), nameof(x));
                global::KernelDsl.Runtime.Gpu.GpuPairSweep.Weights(device, b, _m, nameof(b), nameof(y));
                // The weights' values under the caller's names (positive, finite, equal masses), on a host copy.
                var _ha = new double[_n]; device.Download(a, _ha);
                var _hb = new double[_m]; device.Download(b, _hb);
                global::KernelDsl.Runtime.TransportChecks.Masses<double>(_ha, _n, nameof(a), _hb, _m, nameof(b), global::KernelDsl.Runtime.TransportChecks.DoubleMassTolerance);
                global::KernelDsl.Runtime.Gpu.GpuPairSweep.Gradient(device, dx, x.Length, nameof(dx), x, a, y, b);
                global::KernelDsl.Runtime.Gpu.GpuPairSweep.Gradient(device, dy, y.Length, nameof(dy), x, a, y, b);
                if (global::KernelDsl.Runtime.Gpu.GpuCopy.Overlaps(dy, dx)) throw global::KernelDsl.Runtime.Partials.GradientsOverlap(nameof(dy), nameof(dx));
                global::KernelDsl.Runtime.Gpu.GpuPairSweep.Gradient(device, da, _n, nameof(da), x, a, y, b);
                if (global::KernelDsl.Runtime.Gpu.GpuCopy.Overlaps(da, dx)) throw global::KernelDsl.Runtime.Partials.GradientsOverlap(nameof(da), nameof(dx));
                if (global::KernelDsl.Runtime.Gpu.GpuCopy.Overlaps(da, dy)) throw global::KernelDsl.Runtime.Partials.GradientsOverlap(nameof(da), nameof(dy));
                global::KernelDsl.Runtime.Gpu.GpuPairSweep.Gradient(device, db, _m, nameof(db), x, a, y, b);
                if (global::KernelDsl.Runtime.Gpu.GpuCopy.Overlaps(db, dx)) throw global::KernelDsl.Runtime.Partials.GradientsOverlap(nameof(db), nameof(dx));
                if (global::KernelDsl.Runtime.Gpu.GpuCopy.Overlaps(db, dy)) throw global::KernelDsl.Runtime.Partials.GradientsOverlap(nameof(db), nameof(dy));
                if (global::KernelDsl.Runtime.Gpu.GpuCopy.Overlaps(db, da)) throw global::KernelDsl.Runtime.Partials.GradientsOverlap(nameof(db), nameof(da));
                double _epsilon = _Epsilon(blur);
                var _cost = new _PairTerm0<double>(blur);
                // S = OT_ε(a, b) - OT_ε(a, a)/2 - OT_ε(b, b)/2: ε-scaling, symmetric softmin sweeps on the device, gradients through the converged potentials.
                return global::KernelDsl.Runtime.Gpu.GpuSinkhornSweep.Solve(device, in _cost, x, a, y, b, d, _epsilon, debias: true, options, new global::KernelDsl.Runtime.Gpu.GpuSinkhornOutputs<double> { GradX = dx, GradY = dy, GradA = da, GradB = db });
            }

            /// <inheritdoc cref="Potentials(global::KernelDsl.Runtime.Gpu.KernelDevice, global::ILGPU.ArrayView{float}, global::ILGPU.ArrayView{float}, global::ILGPU.ArrayView{float}, global::ILGPU.ArrayView{float}, int, global::ILGPU.ArrayView{float}, global::ILGPU.ArrayView{float}, float, global::KernelDsl.SinkhornOptions)"/>
            public static global::KernelDsl.SinkhornResult Potentials(
                global::KernelDsl.Runtime.Gpu.KernelDevice device, global::ILGPU.ArrayView<double> x, global::ILGPU.ArrayView<double> a,
                global::ILGPU.ArrayView<double> y, global::ILGPU.ArrayView<double> b, int d, global::ILGPU.ArrayView<double> f,
                global::ILGPU.ArrayView<double> g, double blur, global::KernelDsl.SinkhornOptions? options = null)
            {
                int _n = global::KernelDsl.Runtime.Gpu.GpuPairSweep.Points(device, x, d, nameof(x)), _m = global::KernelDsl.Runtime.Gpu.GpuPairSweep.Points(device, y, d, nameof(y));
                global::KernelDsl.Runtime.Gpu.GpuPairSweep.Weights(device, a, _n, nameof(a), nameof(x));
                global::KernelDsl.Runtime.Gpu.GpuPairSweep.Weights(device, b, _m, nameof(b), nameof(y));
                // The weights' values under the caller's names (positive, finite, equal masses), on a host copy.
                var _ha = new double[_n]; device.Download(a, _ha);
                var _hb = new double[_m]; device.Download(b, _hb);
                global::KernelDsl.Runtime.TransportChecks.Masses<double>(_ha, _n, nameof(a), _hb, _m, nameof(b), global::KernelDsl.Runtime.TransportChecks.DoubleMassTolerance);
                global::KernelDsl.Runtime.Gpu.GpuPairSweep.Gradient(device, f, _n, nameof(f), x, a, y, b);
                global::KernelDsl.Runtime.Gpu.GpuPairSweep.Gradient(device, g, _m, nameof(g), x, a, y, b);
                if (global::KernelDsl.Runtime.Gpu.GpuCopy.Overlaps(g, f)) throw global::KernelDsl.Runtime.Partials.GradientsOverlap(nameof(g), nameof(f));
                double _epsilon = _Epsilon(blur);
                var _cost = new _PairTerm0<double>(blur);
                // S = OT_ε(a, b) - OT_ε(a, a)/2 - OT_ε(b, b)/2: ε-scaling, symmetric softmin sweeps on the device, gradients through the converged potentials.
                return global::KernelDsl.Runtime.Gpu.GpuSinkhornSweep.Solve(device, in _cost, x, a, y, b, d, _epsilon, debias: true, options, new global::KernelDsl.Runtime.Gpu.GpuSinkhornOutputs<double> { PotentialF = f, PotentialG = g });
            }

            /// <inheritdoc cref="ApplyPlan(global::KernelDsl.Runtime.Gpu.KernelDevice, global::ILGPU.ArrayView{float}, global::ILGPU.ArrayView{float}, global::ILGPU.ArrayView{float}, global::ILGPU.ArrayView{float}, int, global::ILGPU.ArrayView{float}, global::ILGPU.ArrayView{float}, int, global::ILGPU.ArrayView{float}, float)"/>
            public static void ApplyPlan(
                global::KernelDsl.Runtime.Gpu.KernelDevice device, global::ILGPU.ArrayView<double> x, global::ILGPU.ArrayView<double> a,
                global::ILGPU.ArrayView<double> y, global::ILGPU.ArrayView<double> b, int d, global::ILGPU.ArrayView<double> g,
                global::ILGPU.ArrayView<double> v, int p, global::ILGPU.ArrayView<double> output, double blur)
            {
                int _n = global::KernelDsl.Runtime.Gpu.GpuPairSweep.Points(device, x, d, nameof(x)), _m = global::KernelDsl.Runtime.Gpu.GpuPairSweep.Points(device, y, d, nameof(y));
                global::KernelDsl.Runtime.Gpu.GpuPairSweep.Weights(device, a, _n, nameof(a), nameof(x));
                global::KernelDsl.Runtime.Gpu.GpuPairSweep.Weights(device, b, _m, nameof(b), nameof(y));
                // The weights' values under the caller's names (positive, finite, equal masses), on a host copy.
                var _ha = new double[_n]; device.Download(a, _ha);
                var _hb = new double[_m]; device.Download(b, _hb);
                global::KernelDsl.Runtime.TransportChecks.Masses<double>(_ha, _n, nameof(a), _hb, _m, nameof(b), global::KernelDsl.Runtime.TransportChecks.DoubleMassTolerance);
                double _epsilon = _Epsilon(blur);
                var _cost = new _PairTerm0<double>(blur);
                if (p < 1) throw new global::System.ArgumentOutOfRangeException(nameof(p), p, "A payload has at least one value per point.");
                if (v.Length != (long)_m * p)
                    throw new global::System.ArgumentException($"'v' has length {v.Length}; it holds {p} values per point of 'y' ({_m}).", nameof(v));
                global::KernelDsl.Runtime.Gpu.GpuCopy.CheckView(device.Accelerator, v, nameof(v));
                // output[i, c] = Σ_j π_ij v[j, c], π_ij = a_i b_j exp((f_i + g_j - c_ij) / ε), f from g by one exact softmin sweep on the device (nothing n × m is stored).
                global::KernelDsl.Runtime.Gpu.GpuSinkhornSweep.ApplyPlan(device, in _cost, x, a, y, b, d, _epsilon, g, v, p, output);
            }

            /// <inheritdoc cref="BarycentricMap(global::KernelDsl.Runtime.Gpu.KernelDevice, global::ILGPU.ArrayView{float}, global::ILGPU.ArrayView{float}, global::ILGPU.ArrayView{float}, global::ILGPU.ArrayView{float}, int, global::ILGPU.ArrayView{float}, global::ILGPU.ArrayView{float}, float)"/>
            public static void BarycentricMap(
                global::KernelDsl.Runtime.Gpu.KernelDevice device, global::ILGPU.ArrayView<double> x, global::ILGPU.ArrayView<double> a,
                global::ILGPU.ArrayView<double> y, global::ILGPU.ArrayView<double> b, int d, global::ILGPU.ArrayView<double> g,
                global::ILGPU.ArrayView<double> output, double blur)
            {
                int _n = global::KernelDsl.Runtime.Gpu.GpuPairSweep.Points(device, x, d, nameof(x)), _m = global::KernelDsl.Runtime.Gpu.GpuPairSweep.Points(device, y, d, nameof(y));
                global::KernelDsl.Runtime.Gpu.GpuPairSweep.Weights(device, a, _n, nameof(a), nameof(x));
                global::KernelDsl.Runtime.Gpu.GpuPairSweep.Weights(device, b, _m, nameof(b), nameof(y));
                // The weights' values under the caller's names (positive, finite, equal masses), on a host copy.
                var _ha = new double[_n]; device.Download(a, _ha);
                var _hb = new double[_m]; device.Download(b, _hb);
                global::KernelDsl.Runtime.TransportChecks.Masses<double>(_ha, _n, nameof(a), _hb, _m, nameof(b), global::KernelDsl.Runtime.TransportChecks.DoubleMassTolerance);
                double _epsilon = _Epsilon(blur);
                var _cost = new _PairTerm0<double>(blur);
                // T(x_i) = Σ_j π_ij y_j / a_i, with f from g by one exact softmin sweep on the device (nothing n × m is stored).
                global::KernelDsl.Runtime.Gpu.GpuSinkhornSweep.BarycentricMap(device, in _cost, x, a, y, b, d, _epsilon, g, output);
            }

            /// <inheritdoc cref="Value(global::KernelDsl.Runtime.Gpu.KernelDevice, global::System.ReadOnlySpan{float}, global::System.ReadOnlySpan{float}, global::System.ReadOnlySpan{float}, global::System.ReadOnlySpan{float}, int, float, global::KernelDsl.SinkhornOptions)"/>
            public static global::KernelDsl.SinkhornResult Value(
                global::KernelDsl.Runtime.Gpu.KernelDevice device, global::System.ReadOnlySpan<double> x, global::System.ReadOnlySpan<double> a,
                global::System.ReadOnlySpan<double> y, global::System.ReadOnlySpan<double> b, int d, double blur,
                global::KernelDsl.SinkhornOptions? options = null)
            {
                if (device is null) throw new global::System.ArgumentNullException(nameof(device));
                using var _b_x = device.Upload(x);
                using var _b_a = device.Upload(a);
                using var _b_y = device.Upload(y);
                using var _b_b = device.Upload(b);
                var _result = Value(device, _b_x.View.SubView(0, x.Length), _b_a.View.SubView(0, a.Length), _b_y.View.SubView(0, y.Length), _b_b.View.SubView(0, b.Length), d, blur, options);
                return _result;
            }

            /// <inheritdoc cref="ValueAndGradient(global::KernelDsl.Runtime.Gpu.KernelDevice, global::System.ReadOnlySpan{float}, global::System.ReadOnlySpan{float}, global::System.ReadOnlySpan{float}, global::System.ReadOnlySpan{float}, int, global::System.Span{float}, global::System.Span{float}, float, global::KernelDsl.SinkhornOptions)"/>
            public static global::KernelDsl.SinkhornResult ValueAndGradient(
                global::KernelDsl.Runtime.Gpu.KernelDevice device, global::System.ReadOnlySpan<double> x, global::System.ReadOnlySpan<double> a,
                global::System.ReadOnlySpan<double> y, global::System.ReadOnlySpan<double> b, int d, global::System.Span<double> dx,
                global::System.Span<double> dy, double blur, global::KernelDsl.SinkhornOptions? options = null)
            {
                if (device is null) throw new global::System.ArgumentNullException(nameof(device));
                global::KernelDsl.Runtime.SpanChecks.Apart(dy, dx, nameof(dy), nameof(dx));
                using var _b_x = device.Upload(x);
                using var _b_a = device.Upload(a);
                using var _b_y = device.Upload(y);
                using var _b_b = device.Upload(b);
                using var _o_dx = device.Allocate<double>(dx.Length);
                using var _o_dy = device.Allocate<double>(dy.Length);
                var _result = ValueAndGradient(device, _b_x.View.SubView(0, x.Length), _b_a.View.SubView(0, a.Length), _b_y.View.SubView(0, y.Length), _b_b.View.SubView(0, b.Length), d, _o_dx.View.SubView(0, dx.Length), _o_dy.View.SubView(0, dy.Length), blur, options);
                device.Download(_o_dx.View.SubView(0, dx.Length), dx);
                device.Download(_o_dy.View.SubView(0, dy.Length), dy);
                return _result;
            }

            /// <inheritdoc cref="ValueAndGradient(global::KernelDsl.Runtime.Gpu.KernelDevice, global::System.ReadOnlySpan{float}, global::System.ReadOnlySpan{float}, global::System.ReadOnlySpan{float}, global::System.ReadOnlySpan{float}, int, global::System.Span{float}, global::System.Span{float}, global::System.Span{float}, global::System.Span{float}, float, global::KernelDsl.SinkhornOptions)"/>
            public static global::KernelDsl.SinkhornResult ValueAndGradient(
                global::KernelDsl.Runtime.Gpu.KernelDevice device, global::System.ReadOnlySpan<double> x, global::System.ReadOnlySpan<double> a,
                global::System.ReadOnlySpan<double> y, global::System.ReadOnlySpan<double> b, int d, global::System.Span<double> dx,
                global::System.Span<double> dy, global::System.Span<double> da, global::System.Span<double> db, double blur,
                global::KernelDsl.SinkhornOptions? options = null)
            {
                if (device is null) throw new global::System.ArgumentNullException(nameof(device));
                global::KernelDsl.Runtime.SpanChecks.Apart(dy, dx, nameof(dy), nameof(dx));
                global::KernelDsl.Runtime.SpanChecks.Apart(da, dx, nameof(da), nameof(dx));
                global::KernelDsl.Runtime.SpanChecks.Apart(da, dy, nameof(da), nameof(dy));
                global::KernelDsl.Runtime.SpanChecks.Apart(db, dx, nameof(db), nameof(dx));
                global::KernelDsl.Runtime.SpanChecks.Apart(db, dy, nameof(db), nameof(dy));
                global::KernelDsl.Runtime.SpanChecks.Apart(db, da, nameof(db), nameof(da));
                using var _b_x = device.Upload(x);
                using var _b_a = device.Upload(a);
                using var _b_y = device.Upload(y);
                using var _b_b = device.Upload(b);
                using var _o_dx = device.Allocate<double>(dx.Length);
                using var _o_dy = device.Allocate<double>(dy.Length);
                using var _o_da = device.Allocate<double>(da.Length);
                using var _o_db = device.Allocate<double>(db.Length);
                var _result = ValueAndGradient(device, _b_x.View.SubView(0, x.Length), _b_a.View.SubView(0, a.Length), _b_y.View.SubView(0, y.Length), _b_b.View.SubView(0, b.Length), d, _o_dx.View.SubView(0, dx.Length), _o_dy.View.SubView(0, dy.Length), _o_da.View.SubView(0, da.Length), _o_db.View.SubView(0, db.Length), blur, options);
                device.Download(_o_dx.View.SubView(0, dx.Length), dx);
                device.Download(_o_dy.View.SubView(0, dy.Length), dy);
                device.Download(_o_da.View.SubView(0, da.Length), da);
                device.Download(_o_db.View.SubView(0, db.Length), db);
                return _result;
            }

            /// <inheritdoc cref="Potentials(global::KernelDsl.Runtime.Gpu.KernelDevice, global::System.ReadOnlySpan{float}, global::System.ReadOnlySpan{float}, global::System.ReadOnlySpan{float}, global::System.ReadOnlySpan{float}, int, global::System.Span{float}, global::System.Span{float}, float, global::KernelDsl.SinkhornOptions)"/>
            public static global::KernelDsl.SinkhornResult Potentials(
                global::KernelDsl.Runtime.Gpu.KernelDevice device, global::System.ReadOnlySpan<double> x, global::System.ReadOnlySpan<double> a,
                global::System.ReadOnlySpan<double> y, global::System.ReadOnlySpan<double> b, int d, global::System.Span<double> f,
                global::System.Span<double> g, double blur, global::KernelDsl.SinkhornOptions? options = null)
            {
                if (device is null) throw new global::System.ArgumentNullException(nameof(device));
                global::KernelDsl.Runtime.SpanChecks.Apart(g, f, nameof(g), nameof(f));
                using var _b_x = device.Upload(x);
                using var _b_a = device.Upload(a);
                using var _b_y = device.Upload(y);
                using var _b_b = device.Upload(b);
                using var _o_f = device.Allocate<double>(f.Length);
                using var _o_g = device.Allocate<double>(g.Length);
                var _result = Potentials(device, _b_x.View.SubView(0, x.Length), _b_a.View.SubView(0, a.Length), _b_y.View.SubView(0, y.Length), _b_b.View.SubView(0, b.Length), d, _o_f.View.SubView(0, f.Length), _o_g.View.SubView(0, g.Length), blur, options);
                device.Download(_o_f.View.SubView(0, f.Length), f);
                device.Download(_o_g.View.SubView(0, g.Length), g);
                return _result;
            }

            /// <inheritdoc cref="ApplyPlan(global::KernelDsl.Runtime.Gpu.KernelDevice, global::System.ReadOnlySpan{float}, global::System.ReadOnlySpan{float}, global::System.ReadOnlySpan{float}, global::System.ReadOnlySpan{float}, int, global::System.ReadOnlySpan{float}, global::System.ReadOnlySpan{float}, int, global::System.Span{float}, float)"/>
            public static void ApplyPlan(
                global::KernelDsl.Runtime.Gpu.KernelDevice device, global::System.ReadOnlySpan<double> x, global::System.ReadOnlySpan<double> a,
                global::System.ReadOnlySpan<double> y, global::System.ReadOnlySpan<double> b, int d, global::System.ReadOnlySpan<double> g,
                global::System.ReadOnlySpan<double> v, int p, global::System.Span<double> output, double blur)
            {
                if (device is null) throw new global::System.ArgumentNullException(nameof(device));
                using var _b_x = device.Upload(x);
                using var _b_a = device.Upload(a);
                using var _b_y = device.Upload(y);
                using var _b_b = device.Upload(b);
                using var _b_g = device.Upload(g);
                using var _b_v = device.Upload(v);
                using var _o_output = device.Allocate<double>(output.Length);
                ApplyPlan(device, _b_x.View.SubView(0, x.Length), _b_a.View.SubView(0, a.Length), _b_y.View.SubView(0, y.Length), _b_b.View.SubView(0, b.Length), d, _b_g.View.SubView(0, g.Length), _b_v.View.SubView(0, v.Length), p, _o_output.View.SubView(0, output.Length), blur);
                device.Download(_o_output.View.SubView(0, output.Length), output);
            }

            /// <inheritdoc cref="BarycentricMap(global::KernelDsl.Runtime.Gpu.KernelDevice, global::System.ReadOnlySpan{float}, global::System.ReadOnlySpan{float}, global::System.ReadOnlySpan{float}, global::System.ReadOnlySpan{float}, int, global::System.ReadOnlySpan{float}, global::System.Span{float}, float)"/>
            public static void BarycentricMap(
                global::KernelDsl.Runtime.Gpu.KernelDevice device, global::System.ReadOnlySpan<double> x, global::System.ReadOnlySpan<double> a,
                global::System.ReadOnlySpan<double> y, global::System.ReadOnlySpan<double> b, int d, global::System.ReadOnlySpan<double> g,
                global::System.Span<double> output, double blur)
            {
                if (device is null) throw new global::System.ArgumentNullException(nameof(device));
                using var _b_x = device.Upload(x);
                using var _b_a = device.Upload(a);
                using var _b_y = device.Upload(y);
                using var _b_b = device.Upload(b);
                using var _b_g = device.Upload(g);
                using var _o_output = device.Allocate<double>(output.Length);
                BarycentricMap(device, _b_x.View.SubView(0, x.Length), _b_a.View.SubView(0, a.Length), _b_y.View.SubView(0, y.Length), _b_b.View.SubView(0, b.Length), d, _b_g.View.SubView(0, g.Length), _o_output.View.SubView(0, output.Length), blur);
                device.Download(_o_output.View.SubView(0, output.Length), output);
            }

            /// <summary>The pair term <c>φ(f) = f / 2</c> of the pair feature <c>f = sqdist(u, v)</c>, and its slope <c>φ'(f)</c>, on the device.</summary>
            private readonly struct _PairTerm0<_T> : global::KernelDsl.Runtime.Gpu.IGpuPairTerm<_T>
                where _T : unmanaged, global::System.Numerics.IFloatingPointIeee754<_T>
            {
                private readonly global::KernelDsl.Runtime.Gpu.GpuPairConstants<_T> _c;

                /// <summary>Folds the parameter-only subexpressions of the term into its constants, once per call, in double.</summary>
                public _PairTerm0(double blur)
                {
                    _c.C0 = _T.CreateTruncating(2.0); // 2
                    _c.C1 = _T.CreateTruncating(0.5); // 0.5
                }

                /// <inheritdoc/>
                public static global::KernelDsl.Runtime.PairFeature Feature => global::KernelDsl.Runtime.PairFeature.SquaredDistance;

                /// <inheritdoc/>
                public global::KernelDsl.Runtime.Gpu.GpuPairConstants<_T> Constants => _c;

                /// <inheritdoc/>
                public static _T Value(global::KernelDsl.Runtime.Gpu.GpuPairConstants<_T> c, _T feature)
                {
                    _T v2 = feature / c.C0;
                    return v2;
                }

                /// <inheritdoc/>
                public static _T ValueAndSlope(global::KernelDsl.Runtime.Gpu.GpuPairConstants<_T> c, _T feature, out _T slope)
                {
                    _T v2 = feature / c.C0;
                    slope = c.C1;
                    return v2;
                }
            }
        }
