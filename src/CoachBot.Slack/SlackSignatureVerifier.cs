using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CoachBot.Slack;

/// <summary>The outcome of checking one request's Slack signature; anything but <see cref="Valid"/> is answered 401.</summary>
public enum SlackSignatureResult
{
    MissingHeaders,
    MalformedTimestamp,
    StaleTimestamp,
    UnsupportedVersion,
    BadSignature,

    // Last on purpose: Valid is not the default value, so an uninitialised result never lets a request through.
    Valid,
}

/// <summary>
/// Checks Slack's v0 request signature: HMAC-SHA256 with the signing secret over
/// <c>v0:{timestamp}:{body}</c>, with the timestamp no more than five minutes from now either way.
/// </summary>
/// <remarks>
/// Pass the body bytes exactly as received, before any JSON or form parsing: re-encoding changes
/// the bytes and breaks the signature. Bad input gives a result, never an exception. Thread-safe.
/// </remarks>
public sealed class SlackSignatureVerifier
{
    /// <summary>How far the request timestamp may be from now, in the past or the future.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    private const string Version = "v0";
    private const int HexLength = 64; // SHA-256 is 32 bytes.

    private readonly byte[] _key;
    private readonly TimeProvider _time;

    public SlackSignatureVerifier(string signingSecret, TimeProvider timeProvider)
    {
        // An empty secret would let anyone sign; refuse it here so the host fails at start-up, not open.
        ArgumentException.ThrowIfNullOrWhiteSpace(signingSecret);
        ArgumentNullException.ThrowIfNull(timeProvider);

        // The secret is used as its UTF-8 text, not hex-decoded (Slack's documented secret contains 'y' and 'z').
        _key = Encoding.UTF8.GetBytes(signingSecret);
        _time = timeProvider;
    }

    public SlackSignatureResult Verify(ReadOnlySpan<byte> body, string? timestampHeader, string? signatureHeader)
    {
        if (string.IsNullOrEmpty(timestampHeader) || string.IsNullOrEmpty(signatureHeader))
        {
            return SlackSignatureResult.MissingHeaders;
        }

        // NumberStyles.None: digits only, so the text we hash is exactly the number we checked for freshness.
        if (!long.TryParse(timestampHeader, NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp))
        {
            return SlackSignatureResult.MalformedTimestamp;
        }

        // Both sides are non-negative, so the difference cannot overflow.
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        if (Math.Abs(now - timestamp) > (long)Window.TotalSeconds)
        {
            return SlackSignatureResult.StaleTimestamp;
        }

        if (!signatureHeader.StartsWith(Version + "=", StringComparison.Ordinal))
        {
            return SlackSignatureResult.UnsupportedVersion;
        }

        Span<byte> expected = stackalloc byte[HexLength];
        ComputeHex(body, timestampHeader, expected);

        // A wrong length says nothing about the secret, so comparing only equal-length values leaks nothing.
        var received = signatureHeader.AsSpan(Version.Length + 1);
        if (received.Length != HexLength)
        {
            return SlackSignatureResult.BadSignature;
        }

        Span<byte> receivedBytes = stackalloc byte[HexLength];
        for (var i = 0; i < HexLength; i++)
        {
            // Don't just cast: U+0161 would narrow to 'a'. A non-ASCII character becomes 0, which matches no hex digit.
            receivedBytes[i] = received[i] < 128 ? (byte)received[i] : (byte)0;
        }

        return CryptographicOperations.FixedTimeEquals(expected, receivedBytes)
            ? SlackSignatureResult.Valid
            : SlackSignatureResult.BadSignature;
    }

    /// <summary>The <c>X-Slack-Signature</c> value Slack would send for this body and timestamp; for tests and fakes.</summary>
    public string Sign(ReadOnlySpan<byte> body, long unixSeconds)
    {
        Span<byte> hex = stackalloc byte[HexLength];
        ComputeHex(body, unixSeconds.ToString(CultureInfo.InvariantCulture), hex);
        return Version + "=" + Encoding.ASCII.GetString(hex);
    }

    private void ComputeHex(ReadOnlySpan<byte> body, string timestamp, Span<byte> hex)
    {
        // Incremental, so the body is hashed where it lies instead of being copied behind the prefix.
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);
        hmac.AppendData(Encoding.ASCII.GetBytes($"{Version}:{timestamp}:"));
        hmac.AppendData(body);
        Span<byte> mac = stackalloc byte[HexLength / 2];
        hmac.GetHashAndReset(mac);

        // Slack sends lowercase hex.
        if (!Convert.TryToHexStringLower(mac, hex, out _))
        {
            throw new InvalidOperationException("A SHA-256 hex string is 64 bytes; the buffer is sized for it.");
        }
    }
}
