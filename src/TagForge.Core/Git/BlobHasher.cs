using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text;

namespace TagForge.Git;

/// <summary>
/// SHA-1 of a git blob ("blob SIZE\0" and the bytes) in managed code, for the dirty check's re-reading of racily
/// clean files. .NET's SHA-1 is OpenSSL's, and loading and configuring libssl/libcrypto (openssl.cnf included) cost
/// more than hashing the 1 MB of a fresh clone of this project: the dirty check is the only use of it in
/// <c>tagforge tag</c>. This is for comparing with ids git computed, not for security (git's own ids are SHA-1).
/// Not thread-safe: one per thread; <see cref="Reset"/> makes it reusable.
/// </summary>
internal sealed class BlobHasher
{
    private const int BlockLength = 64;
    private readonly byte[] _pending = new byte[BlockLength];
    private uint _h0, _h1, _h2, _h3, _h4;
    private int _pendingLength;
    private long _total;

    public BlobHasher() => Reset();

    /// <summary>Starts a new hash.</summary>
    public void Reset()
    {
        (_h0, _h1, _h2, _h3, _h4) = (0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0);
        _pendingLength = 0;
        _total = 0;
    }

    /// <summary>Starts the hash of a blob of <paramref name="length"/> bytes (its header).</summary>
    public void StartBlob(long length)
    {
        Reset();
        Span<byte> header = stackalloc byte[32];
        var written = Encoding.ASCII.GetBytes($"blob {length}\0", header);
        Append(header[..written]);
    }

    /// <summary>Hashes <paramref name="data"/>.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        _total += data.Length;
        if (_pendingLength > 0)
        {
            var take = Math.Min(BlockLength - _pendingLength, data.Length);
            data[..take].CopyTo(_pending.AsSpan(_pendingLength));
            _pendingLength += take;
            data = data[take..];
            if (_pendingLength < BlockLength)
            {
                return;
            }

            Block(_pending);
            _pendingLength = 0;
        }

        while (data.Length >= BlockLength)
        {
            Block(data[..BlockLength]);
            data = data[BlockLength..];
        }

        data.CopyTo(_pending);
        _pendingLength = data.Length;
    }

    /// <summary>Finishes the hash into <paramref name="hash"/> (20 bytes).</summary>
    public void Finish(Span<byte> hash)
    {
        var bits = (ulong)_total * 8;
        Span<byte> tail = stackalloc byte[BlockLength * 2];
        _pending.AsSpan(0, _pendingLength).CopyTo(tail);
        tail[_pendingLength] = 0x80;
        var length = _pendingLength + 9 <= BlockLength ? BlockLength : BlockLength * 2;
        tail[(_pendingLength + 1)..length].Clear();
        BinaryPrimitives.WriteUInt64BigEndian(tail[(length - 8)..], bits);
        Block(tail[..BlockLength]);
        if (length > BlockLength)
        {
            Block(tail[BlockLength..length]);
        }

        BinaryPrimitives.WriteUInt32BigEndian(hash, _h0);
        BinaryPrimitives.WriteUInt32BigEndian(hash[4..], _h1);
        BinaryPrimitives.WriteUInt32BigEndian(hash[8..], _h2);
        BinaryPrimitives.WriteUInt32BigEndian(hash[12..], _h3);
        BinaryPrimitives.WriteUInt32BigEndian(hash[16..], _h4);
    }

    /// <summary>One 64-byte block: the message schedule on the stack, rounds unrolled by five so no value is shuffled.</summary>
    private unsafe void Block(ReadOnlySpan<byte> block)
    {
        var w = stackalloc uint[80];
        fixed (byte* input = block)
        {
            for (var i = 0; i < 16; i++)
            {
                w[i] = BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<uint>(input + (i * 4)));
            }
        }

        for (var i = 16; i < 80; i++)
        {
            w[i] = BitOperations.RotateLeft(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
        }

        uint a = _h0, b = _h1, c = _h2, d = _h3, e = _h4;
        for (var i = 0; i < 20; i += 5)
        {
            e += BitOperations.RotateLeft(a, 5) + (d ^ (b & (c ^ d))) + 0x5A827999 + w[i];
            b = BitOperations.RotateLeft(b, 30);
            d += BitOperations.RotateLeft(e, 5) + (c ^ (a & (b ^ c))) + 0x5A827999 + w[i + 1];
            a = BitOperations.RotateLeft(a, 30);
            c += BitOperations.RotateLeft(d, 5) + (b ^ (e & (a ^ b))) + 0x5A827999 + w[i + 2];
            e = BitOperations.RotateLeft(e, 30);
            b += BitOperations.RotateLeft(c, 5) + (a ^ (d & (e ^ a))) + 0x5A827999 + w[i + 3];
            d = BitOperations.RotateLeft(d, 30);
            a += BitOperations.RotateLeft(b, 5) + (e ^ (c & (d ^ e))) + 0x5A827999 + w[i + 4];
            c = BitOperations.RotateLeft(c, 30);
        }

        for (var i = 20; i < 40; i += 5)
        {
            e += BitOperations.RotateLeft(a, 5) + (b ^ c ^ d) + 0x6ED9EBA1 + w[i];
            b = BitOperations.RotateLeft(b, 30);
            d += BitOperations.RotateLeft(e, 5) + (a ^ b ^ c) + 0x6ED9EBA1 + w[i + 1];
            a = BitOperations.RotateLeft(a, 30);
            c += BitOperations.RotateLeft(d, 5) + (e ^ a ^ b) + 0x6ED9EBA1 + w[i + 2];
            e = BitOperations.RotateLeft(e, 30);
            b += BitOperations.RotateLeft(c, 5) + (d ^ e ^ a) + 0x6ED9EBA1 + w[i + 3];
            d = BitOperations.RotateLeft(d, 30);
            a += BitOperations.RotateLeft(b, 5) + (c ^ d ^ e) + 0x6ED9EBA1 + w[i + 4];
            c = BitOperations.RotateLeft(c, 30);
        }

        for (var i = 40; i < 60; i += 5)
        {
            e += BitOperations.RotateLeft(a, 5) + ((b & c) | (d & (b | c))) + 0x8F1BBCDC + w[i];
            b = BitOperations.RotateLeft(b, 30);
            d += BitOperations.RotateLeft(e, 5) + ((a & b) | (c & (a | b))) + 0x8F1BBCDC + w[i + 1];
            a = BitOperations.RotateLeft(a, 30);
            c += BitOperations.RotateLeft(d, 5) + ((e & a) | (b & (e | a))) + 0x8F1BBCDC + w[i + 2];
            e = BitOperations.RotateLeft(e, 30);
            b += BitOperations.RotateLeft(c, 5) + ((d & e) | (a & (d | e))) + 0x8F1BBCDC + w[i + 3];
            d = BitOperations.RotateLeft(d, 30);
            a += BitOperations.RotateLeft(b, 5) + ((c & d) | (e & (c | d))) + 0x8F1BBCDC + w[i + 4];
            c = BitOperations.RotateLeft(c, 30);
        }

        for (var i = 60; i < 80; i += 5)
        {
            e += BitOperations.RotateLeft(a, 5) + (b ^ c ^ d) + 0xCA62C1D6 + w[i];
            b = BitOperations.RotateLeft(b, 30);
            d += BitOperations.RotateLeft(e, 5) + (a ^ b ^ c) + 0xCA62C1D6 + w[i + 1];
            a = BitOperations.RotateLeft(a, 30);
            c += BitOperations.RotateLeft(d, 5) + (e ^ a ^ b) + 0xCA62C1D6 + w[i + 2];
            e = BitOperations.RotateLeft(e, 30);
            b += BitOperations.RotateLeft(c, 5) + (d ^ e ^ a) + 0xCA62C1D6 + w[i + 3];
            d = BitOperations.RotateLeft(d, 30);
            a += BitOperations.RotateLeft(b, 5) + (c ^ d ^ e) + 0xCA62C1D6 + w[i + 4];
            c = BitOperations.RotateLeft(c, 30);
        }

        _h0 += a;
        _h1 += b;
        _h2 += c;
        _h3 += d;
        _h4 += e;
    }
}
