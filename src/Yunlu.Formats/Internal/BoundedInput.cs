using System.Globalization;

namespace Yunlu.Formats.Internal;

/// <summary>Reads a stream whole while counting, so an oversized input fails before it fills memory.</summary>
internal static class BoundedInput
{
    private const int ChunkBytes = 81_920;

    /// <summary>Reads <paramref name="stream"/> to its end; throws <see cref="ImportRules.FileTooLarge"/> once more
    /// than <paramref name="maxBytes"/> bytes have been read (the stream's declared length is not trusted).</summary>
    public static byte[] ReadAll(Stream stream, long maxBytes, string what)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (stream.CanSeek)
        {
            long remaining = stream.Length - stream.Position;
            if (remaining > maxBytes)
            {
                ThrowTooLarge(remaining, maxBytes, what);
            }
        }

        using var buffer = new MemoryStream();
        byte[] chunk = new byte[ChunkBytes];
        long total = 0;
        int n;
        while ((n = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            total += n;
            if (total > maxBytes)
            {
                ThrowTooLarge(total, maxBytes, what);
            }

            buffer.Write(chunk, 0, n);
        }

        return buffer.ToArray();
    }

    private static void ThrowTooLarge(long seen, long maxBytes, string what) =>
        throw new InvalidFileException(
            ImportRules.FileTooLarge,
            string.Create(CultureInfo.InvariantCulture, $"{what} is larger than the limit of {maxBytes} bytes (at least {seen} bytes)"));
}
