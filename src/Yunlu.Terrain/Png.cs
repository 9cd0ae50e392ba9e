using System.Buffers.Binary;
using System.IO.Compression;

namespace Yunlu.Terrain;

/// <summary>
/// A minimal PNG encoder (W3C PNG 2nd edition): 8-bit RGBA, one IDAT chunk compressed with zlib, each row filtered
/// with whichever of None/Sub/Up/Paeth gives the smallest sum of absolute differences (the specification's §12.8
/// heuristic).
/// </summary>
public static class PngEncoder
{
    private static readonly uint[] CrcTable = MakeCrcTable();

    /// <summary>Encodes <paramref name="rgba"/> (width·height·4 bytes, row-major, top row first).</summary>
    public static byte[] EncodeRgba(ReadOnlySpan<byte> rgba, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        var stride = width * 4;
        if (rgba.Length != stride * height)
        {
            throw new ArgumentException("rgba must hold width × height × 4 bytes", nameof(rgba));
        }

        var filtered = new byte[(stride + 1) * height];
        var candidate = new byte[stride];
        for (var y = 0; y < height; y++)
        {
            var row = rgba.Slice(y * stride, stride);
            var prev = y > 0 ? rgba.Slice((y - 1) * stride, stride) : ReadOnlySpan<byte>.Empty;
            var best = long.MaxValue;
            var dst = filtered.AsSpan((y * (stride + 1)) + 1, stride);
            for (byte f = 0; f <= 4; f++)
            {
                if (f == 3)
                {
                    continue; // Average rarely wins on map tiles.
                }

                long sum = 0;
                for (var i = 0; i < stride; i++)
                {
                    var a = i >= 4 ? row[i - 4] : 0;
                    var b = prev.IsEmpty ? 0 : prev[i];
                    var c = i >= 4 && !prev.IsEmpty ? prev[i - 4] : 0;
                    var predicted = f switch
                    {
                        0 => 0,
                        1 => a,
                        2 => b,
                        _ => Paeth(a, b, c),
                    };
                    var v = (byte)(row[i] - predicted);
                    candidate[i] = v;
                    sum += (sbyte)v < 0 ? -(sbyte)v : v;
                }

                if (sum < best)
                {
                    best = sum;
                    filtered[y * (stride + 1)] = f;
                    candidate.CopyTo(dst);
                }
            }
        }

        using var ms = new MemoryStream();
        ms.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        Span<byte> ihdr = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr[4..], height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 6; // colour type RGBA
        ihdr[10] = 0;
        ihdr[11] = 0;
        ihdr[12] = 0;
        WriteChunk(ms, "IHDR"u8, ihdr);
        using (var z = new MemoryStream())
        {
            using (var zlib = new ZLibStream(z, CompressionLevel.Fastest, leaveOpen: true))
            {
                zlib.Write(filtered);
            }

            WriteChunk(ms, "IDAT"u8, z.GetBuffer().AsSpan(0, (int)z.Length));
        }

        WriteChunk(ms, "IEND"u8, []);
        return ms.ToArray();
    }

    internal static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        var pa = Math.Abs(p - a);
        var pb = Math.Abs(p - b);
        var pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    /// <summary>CRC-32 (ISO 3309 / PNG §D) of <paramref name="data"/>.</summary>
    public static uint Crc32(ReadOnlySpan<byte> data, uint crc = 0)
    {
        crc = ~crc;
        foreach (var b in data)
        {
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return ~crc;
    }

    private static void WriteChunk(Stream s, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> buf = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(buf, data.Length);
        s.Write(buf);
        s.Write(type);
        s.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(buf, Crc32(data, Crc32(type)));
        s.Write(buf);
    }

    private static uint[] MakeCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
