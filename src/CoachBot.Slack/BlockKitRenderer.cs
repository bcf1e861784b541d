using System.Text;
using System.Text.Json.Nodes;
using CoachBot.Coaching.Messages;

namespace CoachBot.Slack;

/// <summary>
/// Renders a <see cref="CoachingReply"/> as a Slack message body: <c>{"text": …, "blocks": […]}</c>.
/// The caller adds <c>channel</c> and <c>thread_ts</c> before posting.
/// </summary>
/// <remarks>
/// Every piece of text is escaped for mrkdwn and cut to Slack's limits, so a long rule or a long
/// draft can never make <c>chat.postMessage</c> fail with <c>invalid_blocks</c>.
/// </remarks>
public static class BlockKitRenderer
{
    public const string FeedbackBlockId = "coach_feedback";

    // Slack's documented Block Kit limits (docs/slack-protocol.md §3.3), counted in UTF-16 units,
    // which is never fewer than Slack's count of characters.
    internal const int MaxBlocks = 50;
    internal const int MaxHeaderText = 150;
    internal const int MaxSectionText = 3000;
    internal const int MaxButtonText = 75;
    internal const int MaxButtonValue = 2000;

    // Slack accepts 40,000, but this is a notification preview; a short one reads better.
    internal const int MaxFallbackText = 300;

    private const char Ellipsis = '\u2026';

    public static JsonObject Render(CoachingReply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);

        var detail = new List<JsonObject>();
        foreach (var point in reply.Points)
        {
            detail.AddRange(PointBlocks(point));
        }

        if (reply.Praise is { } praise)
        {
            detail.Add(Section(
                $"*What's working:* {Escape(praise.Message)}\n*Why it works:* {Escape(praise.Why)}\n*To go further:* {Escape(praise.Ask)}"));
        }

        var tail = new List<JsonObject>();
        if (reply.TrustFactors.Count > 0)
        {
            tail.Add(Context("Trust equation: touches " + string.Join(", ", reply.TrustFactors.Select(WireNames.Of))));
        }

        tail.Add(Context(Escape(reply.Closing)));
        tail.Add(Actions(reply));

        // Over the block limit the coaching detail gives way, never the closing or the feedback buttons.
        var room = MaxBlocks - 1 - tail.Count;
        JsonNode?[] blocks = [Header(reply.Headline), .. detail.Take(room), .. tail];
        return new JsonObject
        {
            ["text"] = FallbackText(reply),
            ["blocks"] = new JsonArray(blocks),
        };
    }

    /// <summary>The message's top-level <c>text</c>: what notifications and screen readers show.</summary>
    public static string FallbackText(CoachingReply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var first = reply.Points.Count > 0 ? reply.Points[0] : reply.Praise;
        var text = first is null ? reply.Headline : $"{reply.Headline} {first.Message}";
        return Fit(Escape(text), MaxFallbackText);
    }

    private static IEnumerable<JsonObject> PointBlocks(Finding point)
    {
        var noticed = new StringBuilder("*What I noticed:* ").Append(Escape(point.Message));
        if (point.Excerpt.Length > 0)
        {
            noticed.Append("\nIn: \"").Append(Escape(point.Excerpt)).Append('"');
        }

        yield return Section(noticed.ToString());
        yield return Section("*Why it matters:* " + Escape(point.Why));
        yield return Section("*Ask yourself:* " + Escape(point.Ask));
        if (point.Suggestions.Count > 0)
        {
            // A suggestion that already quotes something is an instruction, not a line to say (as on the command line).
            var suggestion = point.Suggestion.Contains('"', StringComparison.Ordinal) ? point.Suggestion : $"\"{point.Suggestion}\"";
            yield return Section("*Try:* " + Escape(suggestion));
        }
    }

    private static JsonObject Actions(CoachingReply reply) =>
        FeedbackActions(reply.Points.Count > 0 ? reply.Points[0].Rule : reply.Praise?.Rule, 0);

    /// <summary>
    /// The four buttons. Values carry only the rule id and which of its suggestions is showing
    /// (<see cref="ButtonValue"/>): a button payload travels through Slack and logs, the rep's text must not.
    /// </summary>
    internal static JsonObject FeedbackActions(string? rule, int suggestion)
    {
        var value = rule is null ? null : ButtonValue.Format(rule, suggestion);
        return new JsonObject
        {
            ["type"] = "actions",
            ["block_id"] = FeedbackBlockId,
            ["elements"] = new JsonArray(
                Button(CoachingActions.Another, CoachingActions.AnotherLabel, value),
                Button(CoachingActions.Why, CoachingActions.WhyLabel, value),
                Button(CoachingActions.Helpful, CoachingActions.HelpfulLabel, value),
                Button(CoachingActions.NotHelpful, CoachingActions.NotHelpfulLabel, value)),
        };
    }

    private static JsonObject Button(string actionId, string label, string? value)
    {
        var button = new JsonObject
        {
            ["type"] = "button",
            ["action_id"] = actionId,
            ["text"] = PlainText(Fit(label, MaxButtonText)),
        };

        // No rule fired: leave value out rather than send an empty one, which Slack rejects.
        if (!string.IsNullOrEmpty(value))
        {
            button["value"] = Fit(value, MaxButtonValue);
        }

        return button;
    }

    private static JsonObject Header(string text) =>
        new() { ["type"] = "header", ["text"] = PlainText(Fit(text, MaxHeaderText)) };

    internal static JsonObject Section(string mrkdwn) =>
        new() { ["type"] = "section", ["text"] = Mrkdwn(Fit(mrkdwn, MaxSectionText)) };

    internal static JsonObject Context(string mrkdwn) =>
        new() { ["type"] = "context", ["elements"] = new JsonArray(Mrkdwn(Fit(mrkdwn, MaxSectionText))) };

    internal static JsonObject PlainText(string text) => new() { ["type"] = "plain_text", ["text"] = text };

    private static JsonObject Mrkdwn(string text) => new() { ["type"] = "mrkdwn", ["text"] = text };

    /// <summary>Slack's mrkdwn escaping: exactly these three characters, so user text can't become a mention or a link.</summary>
    internal static string Escape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal)
            .Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal);

    /// <summary>
    /// Cuts <paramref name="text"/> to <paramref name="limit"/> with an ellipsis, never inside a
    /// surrogate pair or an entity that <see cref="Escape"/> made (half an <c>&amp;amp;</c> shows as junk).
    /// </summary>
    internal static string Fit(string text, int limit)
    {
        if (text.Length <= limit)
        {
            return text;
        }

        var cut = limit - 1;
        if (char.IsHighSurrogate(text[cut - 1]))
        {
            cut--;
        }

        // Every '&' in escaped text starts an entity of at most five characters ("&amp;").
        var amp = text.LastIndexOf('&', cut - 1, Math.Min(cut, 4));
        if (amp >= 0 && text.IndexOf(';', amp, cut - amp) < 0)
        {
            cut = amp;
        }

        return string.Concat(text.AsSpan(0, cut), [Ellipsis]);
    }
}
