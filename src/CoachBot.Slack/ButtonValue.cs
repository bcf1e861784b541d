using System.Globalization;
using System.Text;
using CoachBot.Coaching.Replies;

namespace CoachBot.Slack;

/// <summary>
/// A coaching button's <c>value</c>: the card's state (<see cref="CardState.ToData"/>) as form-encoded pairs, so a
/// press can draw the whole card again without the bot keeping the draft. Older values were the rule id alone,
/// or the rule id and <c>#n</c> for suggestion n; those still read.
/// </summary>
public static class ButtonValue
{
    public static string Format(CardState state, string? reason = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        var sb = new StringBuilder();
        foreach (var (key, value) in state.ToData())
        {
            Append(sb, key, value);
        }

        if (reason is not null)
        {
            Append(sb, "reason", reason);
        }

        return sb.ToString();
    }

    /// <summary>The pairs in a value; an old-style value gives <c>rule</c> and <c>suggestion</c>. Never throws.</summary>
    public static IReadOnlyDictionary<string, string> Parse(string? value)
    {
        var data = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(value))
        {
            return data;
        }

        if (!value.Contains('=', StringComparison.Ordinal))
        {
            var hash = value.LastIndexOf('#');
            var numbered = hash > 0 && int.TryParse(value.AsSpan(hash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out _);
            data["rule"] = numbered ? value[..hash] : value;
            data["suggestion"] = numbered ? value[(hash + 1)..] : "0";
            return data;
        }

        foreach (var pair in value.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                data[Unescape(pair[..eq])] = Unescape(pair[(eq + 1)..]);
            }
        }

        return data;
    }

    private static void Append(StringBuilder sb, string key, string value)
    {
        if (sb.Length > 0)
        {
            sb.Append('&');
        }

        sb.Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(value));
    }

    private static string Unescape(string text)
    {
        try
        {
            return Uri.UnescapeDataString(text);
        }
        catch (UriFormatException)
        {
            return text;
        }
    }
}
