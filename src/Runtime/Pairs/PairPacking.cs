using System;
using System.Numerics;

namespace KernelDsl.Runtime;

/// <summary>
/// The column side of a pair sweep, packed once per call: tiles of <see cref="TileWidth"/> points, each tile stored as
/// d + 1 rows (structure of arrays: row k holds feature k of the tile's points, so one SIMD vector holds feature k of
/// Count consecutive j; the last row holds the per-point weights or offsets). Rows are padded with zeros to a multiple of
/// <see cref="Pad"/> elements, which every vector width divides, so loads past the last point stay inside the buffer.
/// </summary>
internal static unsafe class PairPacking
{
    /// <summary>Row padding: 16 elements, the lane count of the widest vector (Vector512 of float).</summary>
    public const int Pad = 16;

    /// <summary>Points per tile for <paramref name="d"/> features of <paramref name="elementSize"/> bytes: about 16 KB
    /// (half of an L1 data cache), at least 256 (fewer makes the per-tile horizontal sums of the gradient dominate at large d)
    /// and at most 1024 points (float lanes accumulate in float within a tile).</summary>
    public static int TileWidth(int d, int elementSize)
    {
        int w = 16384 / ((d + 1) * elementSize) / Pad * Pad;
        return Math.Clamp(w, 256, 1024);
    }

    /// <summary>The padded width of tile <paramref name="tile"/> of <paramref name="count"/> points.</summary>
    public static int PaddedWidth(int count, int tileWidth, int tile)
    {
        int points = Math.Min(tileWidth, count - tile * tileWidth);
        return (points + Pad - 1) / Pad * Pad;
    }

    /// <summary>The number of elements the packed form of <paramref name="count"/> points takes.</summary>
    public static long Length(int count, int d, int tileWidth)
    {
        if (count == 0) return 0;
        int tiles = (count + tileWidth - 1) / tileWidth;
        return ((long)(tiles - 1) * tileWidth + PaddedWidth(count, tileWidth, tiles - 1)) * (d + 1);
    }

    /// <summary>
    /// Packs <paramref name="count"/> row-major points (<paramref name="source"/>) of <paramref name="d"/> features into <paramref name="destination"/>
    /// (<see cref="Length"/> elements); the extra row holds <paramref name="extra"/>[j], or <paramref name="fill"/> where it is null.
    /// </summary>
    public static void Pack<T>(T* source, T* extra, T fill, int count, int d, int tileWidth, T* destination)
        where T : unmanaged, INumberBase<T>
    {
        int tiles = (count + tileWidth - 1) / tileWidth;
        for (int t = 0; t < tiles; t++)
        {
            int j0 = t * tileWidth, width = PaddedWidth(count, tileWidth, t), points = Math.Min(tileWidth, count - j0);
            T* tile = destination + (long)t * tileWidth * (d + 1);
            for (int k = 0; k < d; k++)
            {
                T* row = tile + (long)k * width;
                for (int j = 0; j < points; j++) row[j] = source[(long)(j0 + j) * d + k];
                for (int j = points; j < width; j++) row[j] = T.Zero;
            }
            T* last = tile + (long)d * width;
            for (int j = 0; j < points; j++) last[j] = extra == null ? fill : extra[j0 + j];
            for (int j = points; j < width; j++) last[j] = T.Zero;
        }
    }
}
