using System.Text.Json.Nodes;
using CoachBot.Coaching.Messages;
using CoachBot.Coaching.Replies;

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
    public const string ReasonBlockId = "coach_reason";
    public const string RewriteBlockId = "coach_rewrite";

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

    public static JsonObject Render(CoachingReply reply) => Render(CoachingCard.From(reply));

    /// <summary>
    /// The coaching card as a message: short first (what I noticed, a rewrite, one question, buttons); the reasons
    /// only after "Why does this matter?", the other points after "1 more thing". A button press draws the same
    /// card from its next state (<c>chat.update</c> or <c>response_url</c>), so nothing already shown goes away.
    /// </summary>
    public static JsonObject Render(CoachingCard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        var state = card.State;
        var blocks = new List<JsonObject> { Header(card.Headline) };
        if (card.Point is { } point)
        {
            blocks.Add(Section("*What I noticed:* " + Escape(point.Message)));
        }
        else if (card.Praise is { } praise)
        {
            blocks.Add(Section("*What's working:* " + Escape(praise.Message)));
        }

        if (card.Rewrite is { } rewrite)
        {
            var block = Section($"*{card.RewriteLabel}:* {Escape(Quoted(rewrite))}");
            block["block_id"] = RewriteBlockId;
            blocks.Add(block);
        }

        if (card.Subject is { } subject)
        {
            blocks.Add(Section($"*{(card.Point is null ? "To go further" : "Ask yourself")}:* {Escape(subject.Ask)}"));
        }

        if (state.ShowWhy && card.Subject is { } why)
        {
            blocks.Add(Section("*Why it matters:* " + Escape(why.Why)));
            blocks.Add(Context(Escape(CoachingCard.TrustLine(why.TrustFactor)) + "\n" + SourceLine(why.Source)));
        }

        if (state.ShowMore)
        {
            foreach (var other in card.More)
            {
                var text = "*Also:* " + Escape(other.Message);
                if (other.Suggestions.Count > 0)
                {
                    text += "\nTry: " + Escape(Quoted(other.Suggestions[0]));
                }

                blocks.Add(Section(text));
            }

            if (card.Point is not null && card.Praise is { } alsoGood)
            {
                blocks.Add(Section("*What's working:* " + Escape(alsoGood.Message)));
            }
        }

        if (card.Closing is { } closing)
        {
            blocks.Add(Context(Escape(closing)));
        }

        if (card.Subject is not null && card.FeedbackLine is { } line)
        {
            blocks.Add(Context(Escape(line)));
            if (state.Feedback == FeedbackMark.NotHelpful && state.Reason is null)
            {
                blocks.Add(new JsonObject
                {
                    ["type"] = "actions",
                    ["block_id"] = ReasonBlockId,
                    ["elements"] = new JsonArray([.. FeedbackReasons.All.Select(r => Button(CoachingActions.Reason, r.Label, ButtonValue.Format(state, r.Code)))]),
                });
            }
        }

        if (card.Subject is not null)
        {
            blocks.Add(Actions(card));
        }

        return new JsonObject
        {
            ["text"] = FallbackText(card),
            ["blocks"] = new JsonArray([.. blocks]),
        };
    }

    /// <summary>The message's top-level <c>text</c>: what notifications and screen readers show.</summary>
    public static string FallbackText(CoachingReply reply) => FallbackText(CoachingCard.From(reply));

    public static string FallbackText(CoachingCard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        var first = card.Subject;
        var text = first is null ? card.Headline : $"{card.Headline} {first.Message}";
        return Fit(Escape(text), MaxFallbackText);
    }

    /// <summary>The buttons: each value carries the card's state (<see cref="ButtonValue"/>), never the draft.</summary>
    private static JsonObject Actions(CoachingCard card)
    {
        var state = card.State;
        var value = ButtonValue.Format(state);
        var elements = new JsonArray();
        if (card.RewriteCount > 1)
        {
            elements.Add(Button(CoachingActions.Another, CoachingActions.AnotherLabel, value));
        }

        if (!state.ShowWhy)
        {
            elements.Add(Button(CoachingActions.Why, CoachingActions.WhyLabel, value));
        }

        if (!state.ShowMore && card.MoreCount > 0)
        {
            elements.Add(Button(CoachingActions.More, CoachingActions.MoreLabel(card.MoreCount), value));
        }

        if (state.Feedback == FeedbackMark.None)
        {
            elements.Add(Button(CoachingActions.Helpful, CoachingActions.HelpfulLabel, value));
            elements.Add(Button(CoachingActions.NotHelpful, CoachingActions.NotHelpfulLabel, value));
        }
        else
        {
            elements.Add(Button(CoachingActions.ChangeFeedback, CoachingActions.ChangeLabel, value));
        }

        return new JsonObject { ["type"] = "actions", ["block_id"] = FeedbackBlockId, ["elements"] = elements };
    }

    /// <summary>A link to the rule's source when it is a web address (mrkdwn <c>&lt;url|host&gt;</c>).</summary>
    internal static string SourceLine(string source) =>
        Uri.TryCreate(source, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"
            ? $"Source: <{uri.AbsoluteUri.Replace("|", "%7C", StringComparison.Ordinal).Replace(">", "%3E", StringComparison.Ordinal)}|{Escape(uri.Host)}>"
            : "Source: " + Escape(source);

    // A suggestion that already quotes something is an instruction, not a line to say (as on the command line).
    private static string Quoted(string suggestion) =>
        suggestion.Contains('"', StringComparison.Ordinal) ? suggestion : $"\u201c{suggestion}\u201d";

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
