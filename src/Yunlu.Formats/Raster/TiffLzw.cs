namespace Yunlu.Formats.Raster;

/// <summary>
/// TIFF LZW (compression 5): MSB-first codes of 9 to 12 bits, Clear = 256, EndOfInformation = 257, and the
/// "early change" of TIFF 6.0 §13 (the code width grows one code before the table needs it, as libtiff does).
/// Written from the TIFF 6.0 specification; the old-style (pre-6.0, LSB-first) variant is not supported.
/// </summary>
internal static class TiffLzw
{
    private const int ClearCode = 256;
    private const int EoiCode = 257;
    private const int FirstFree = 258;
    private const int MaxCodes = 4096;

    /// <summary>Decodes <paramref name="src"/> into <paramref name="dst"/>; returns the number of bytes written.
    /// Output beyond <paramref name="dst"/>'s length is dropped (libtiff does the same with a warning).</summary>
    public static int Decode(ReadOnlySpan<byte> src, Span<byte> dst)
    {
        Span<short> prefix = stackalloc short[MaxCodes];
        Span<byte> suffix = stackalloc byte[MaxCodes];
        Span<byte> first = stackalloc byte[MaxCodes];
        Span<ushort> length = stackalloc ushort[MaxCodes];
        for (var i = 0; i < 256; i++)
        {
            prefix[i] = -1;
            suffix[i] = (byte)i;
            first[i] = (byte)i;
            length[i] = 1;
        }

        var bitPos = 0L;
        var totalBits = (long)src.Length * 8;
        var width = 9;
        var next = FirstFree;
        var old = -1;
        var outPos = 0;
        while (bitPos + width <= totalBits)
        {
            var code = ReadCode(src, bitPos, width);
            bitPos += width;
            if (code == EoiCode)
            {
                break;
            }

            if (code == ClearCode)
            {
                width = 9;
                next = FirstFree;
                old = -1;
                continue;
            }

            int emitCode;
            if (old < 0)
            {
                if (code > 255)
                {
                    throw new InvalidFileException("tiff-lzw-corrupt", $"LZW code {code} follows a Clear code; a literal (< 256) was expected");
                }

                emitCode = code;
            }
            else if (code < next)
            {
                emitCode = code;
                if (next < MaxCodes)
                {
                    prefix[next] = (short)old;
                    suffix[next] = first[code];
                    first[next] = first[old];
                    length[next] = (ushort)(length[old] + 1);
                    next++;
                }
            }
            else if (code == next && next < MaxCodes)
            {
                prefix[next] = (short)old;
                suffix[next] = first[old];
                first[next] = first[old];
                length[next] = (ushort)(length[old] + 1);
                next++;
                emitCode = code;
            }
            else
            {
                throw new InvalidFileException("tiff-lzw-corrupt", $"LZW code {code} is beyond the table (next free code {next})");
            }

            // Write the string backwards from its last byte.
            int len = length[emitCode];
            var end = outPos + len;
            var c = emitCode;
            for (var p = end - 1; p >= outPos; p--)
            {
                if (p < dst.Length)
                {
                    dst[p] = suffix[c];
                }

                c = prefix[c];
            }

            outPos = Math.Min(end, dst.Length);
            if (outPos >= dst.Length)
            {
                return dst.Length;
            }

            old = emitCode;
            if (next >= (1 << width) - 1 && width < 12)
            {
                width++;
            }
        }

        return outPos;
    }

    private static int ReadCode(ReadOnlySpan<byte> src, long bitPos, int width)
    {
        var bytePos = (int)(bitPos >> 3);
        var bitOff = (int)(bitPos & 7);
        uint acc = 0;
        for (var i = 0; i < 3; i++)
        {
            acc <<= 8;
            if (bytePos + i < src.Length)
            {
                acc |= src[bytePos + i];
            }
        }

        return (int)((acc >> (24 - bitOff - width)) & ((1u << width) - 1));
    }

    /// <summary>Encodes <paramref name="src"/> with TIFF LZW (early change, Clear at the start and when the table
    /// fills, EndOfInformation at the end).</summary>
    public static byte[] Encode(ReadOnlySpan<byte> src)
    {
        var writer = new BitWriter(Math.Max(16, src.Length / 2));
        const int HashSize = 8192;
        var keys = new int[HashSize];
        var values = new short[HashSize];
        var generation = new int[HashSize];
        var gen = 1;
        var width = 9;
        var next = FirstFree;
        writer.Write(ClearCode, width);
        if (src.IsEmpty)
        {
            writer.Write(EoiCode, width);
            return writer.ToArray();
        }

        int w = src[0];
        for (var i = 1; i < src.Length; i++)
        {
            int c = src[i];
            var key = (w << 8) | c;
            var h = (int)(((uint)key * 2654435761u) >> 19);
            var found = -1;
            while (generation[h] == gen)
            {
                if (keys[h] == key)
                {
                    found = values[h];
                    break;
                }

                h = (h + 1) & (HashSize - 1);
            }

            if (found >= 0)
            {
                w = found;
                continue;
            }

            writer.Write(w, width);
            generation[h] = gen;
            keys[h] = key;
            values[h] = (short)next;
            next++;
            if (next == MaxCodes - 2)
            {
                writer.Write(ClearCode, width);
                gen++;
                next = FirstFree;
                width = 9;
            }
            else if (next > (1 << width) - 1)
            {
                width++;
            }

            w = c;
        }

        writer.Write(w, width);
        next++;
        if (next > (1 << width) - 1 && width < 12)
        {
            width++;
        }

        writer.Write(EoiCode, width);
        return writer.ToArray();
    }

    private sealed class BitWriter(int capacity)
    {
        private byte[] _buffer = new byte[capacity];
        private int _pos;
        private ulong _acc;
        private int _bits;

        public void Write(int code, int width)
        {
            _acc = (_acc << width) | (uint)code;
            _bits += width;
            while (_bits >= 8)
            {
                _bits -= 8;
                Put((byte)(_acc >> _bits));
            }
        }

        public byte[] ToArray()
        {
            if (_bits > 0)
            {
                Put((byte)(_acc << (8 - _bits)));
                _bits = 0;
            }

            return _buffer.AsSpan(0, _pos).ToArray();
        }

        private void Put(byte b)
        {
            if (_pos == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }

            _buffer[_pos++] = b;
        }
    }
}

/// <summary>PackBits (compression 32773, Apple's run-length scheme, TIFF 6.0 §9): decoding only.</summary>
internal static class TiffPackBits
{
    /// <summary>Decodes into <paramref name="dst"/>; returns bytes written.</summary>
    public static int Decode(ReadOnlySpan<byte> src, Span<byte> dst)
    {
        var i = 0;
        var o = 0;
        while (i < src.Length && o < dst.Length)
        {
            var n = (sbyte)src[i++];
            if (n >= 0)
            {
                var count = n + 1;
                if (i + count > src.Length)
                {
                    throw new InvalidFileException("tiff-truncated", "PackBits literal run runs past the end of its strip or tile");
                }

                count = Math.Min(count, dst.Length - o);
                src.Slice(i, count).CopyTo(dst[o..]);
                i += n + 1;
                o += count;
            }
            else if (n != -128)
            {
                if (i >= src.Length)
                {
                    throw new InvalidFileException("tiff-truncated", "PackBits repeat run runs past the end of its strip or tile");
                }

                var count = Math.Min(1 - n, dst.Length - o);
                dst.Slice(o, count).Fill(src[i++]);
                o += count;
            }
        }

        return o;
    }
}
