using System.Globalization;

namespace CoachBot.Slack;

/// <summary>
/// A coaching button's <c>value</c>: the rule id, then <c>#n</c> when suggestion n (not the first) is showing.
/// </summary>
public static class ButtonValue
{
    public static string Format(string rule, int suggestion)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return suggestion <= 0 ? rule : rule + "#" + suggestion.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The rule and suggestion index; index 0 when the value has none or an unreadable one.</summary>
    public static (string Rule, int Suggestion) Parse(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return ("", 0);
        }

        var hash = value.LastIndexOf('#');
        return hash > 0 && int.TryParse(value.AsSpan(hash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            ? (value[..hash], index)
            : (value, 0);
    }
}
