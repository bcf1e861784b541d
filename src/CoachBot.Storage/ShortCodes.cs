using System.Buffers;

namespace CoachBot.Storage;

/// <summary>
/// Checks the short identifiers kept beside user content (error codes, skip reasons, ids). Refusing spaces and
/// punctuation keeps message text out of the tables by construction rather than by each caller's care.
/// </summary>
internal static class ShortCodes
{
    public const int MaxCodeLength = 64;

    // Error codes are identifiers ("slack.rate_limited", "http_503").
    private static readonly SearchValues<char> CodeChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._:-");

    private static readonly SearchValues<char> Whitespace = SearchValues.Create(" \t\r\n\v\f\u00A0\u2028\u2029");

    /// <summary>An error or reason code: a short identifier (letters, digits, <c>. _ : -</c>).</summary>
    public static void CheckCode(string code, string paramName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(code, paramName);
        if (code.Length > MaxCodeLength || code.AsSpan().ContainsAnyExcept(CodeChars))
        {
            throw new ArgumentException("An error code is a short identifier (letters, digits, . _ : -), not a message.", paramName);
        }
    }

    /// <summary>
    /// A channel's id for something (a message key, a user, a rule): no whitespace, so a sentence cannot pass for one.
    /// Teams ids carry <c>@ ; =</c> and more, so only whitespace and length are refused.
    /// </summary>
    public static void CheckId(string id, string paramName, int maxLength = CoachBotDbContext.KeyLength)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id, paramName);
        if (id.Length > maxLength || id.AsSpan().ContainsAny(Whitespace))
        {
            throw new ArgumentException($"An id has no whitespace and at most {maxLength} characters.", paramName);
        }
    }

    public static void CheckChannel(string channel, string paramName)
    {
        if (channel is not (InboxItem.Slack or InboxItem.Teams))
        {
            throw new ArgumentException($"Channel must be '{InboxItem.Slack}' or '{InboxItem.Teams}'.", paramName);
        }
    }
}
