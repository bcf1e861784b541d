using System.Text;
using System.Text.Json.Nodes;
using CoachBot.Coaching.Messages;
using CoachBot.Coaching.Replies;

namespace CoachBot.Teams;

/// <summary>
/// Draws a <see cref="CoachingCard"/> as the Adaptive Card Teams shows, and wraps it in the invoke-response body an
/// <c>adaptiveCard/action</c> needs. A button press is answered with the same card drawn from its next state, so
/// the rewrite and everything already open stay on screen.
/// </summary>
/// <remarks>
/// Button data carries the card's state (<see cref="CardState.ToData"/>): rule ids, which parts are open, and the
/// names the rewrite already shows, never the rep's draft. Each call builds new nodes.
/// </remarks>
public static class AdaptiveCardRenderer
{
    public const string CardContentType = "application/vnd.microsoft.card.adaptive";
    public const string MessageContentType = "application/vnd.microsoft.activity.message";

    /// <summary>The notification preview (the activity's <c>summary</c>) is cut here; Teams shows about one line.</summary>
    internal const int MaxSummary = 150;

    /// <summary>The message attachment: <c>{"contentType": …, "content": card}</c>.</summary>
    public static JsonObject Attachment(CoachingReply reply) => Attachment(CoachingCard.From(reply));

    public static JsonObject Attachment(CoachingCard card) => new()
    {
        ["contentType"] = CardContentType,
        ["content"] = Card(card),
    };

    /// <summary>The message activity for a coaching reply: one card, no duplicated <c>text</c>.</summary>
    public static JsonObject Activity(CoachingReply reply)
    {
        var card = CoachingCard.From(reply);
        return TeamsActivities.Card(Attachment(card), Summary(card));
    }

    /// <summary>The body of the HTTP answer to <c>adaptiveCard/action</c>: the card that replaces the pressed one.</summary>
    public static JsonObject CardInvokeResponse(CoachingCard card) => new()
    {
        ["statusCode"] = 200,
        ["type"] = CardContentType,
        ["value"] = Card(card),
    };

    /// <summary>The body of the HTTP answer to <c>adaptiveCard/action</c> that only shows a short toast.</summary>
    public static JsonObject MessageInvokeResponse(string text) => new()
    {
        ["statusCode"] = 200,
        ["type"] = MessageContentType,
        ["value"] = text,
    };

    public static JsonObject Card(CoachingReply reply) => Card(CoachingCard.From(reply));

    public static JsonObject Card(CoachingCard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        var state = card.State;
        var body = new JsonArray { Text(card.Headline, weight: "Bolder", size: "Medium") };
        if (card.Point is { } point)
        {
            body.Add(Text($"**What I noticed:** {point.Message}"));
        }
        else if (card.Praise is { } praise)
        {
            body.Add(Text($"**What's working:** {praise.Message}"));
        }

        if (card.Rewrite is { } rewrite)
        {
            var block = Text($"**{card.RewriteLabel}:** {Quoted(rewrite)}");
            block["id"] = "rewrite";
            body.Add(block);
        }

        if (card.Subject is { } subject)
        {
            body.Add(Text($"**{(card.Point is null ? "To go further" : "Ask yourself")}:** {subject.Ask}"));
        }

        if (state.ShowWhy && card.Subject is { } why)
        {
            body.Add(Container(
                Text($"**Why it matters:** {why.Why}"),
                Text(CoachingCard.TrustLine(why.TrustFactor), subtle: true),
                Text(SourceLine(why.Source), subtle: true)));
        }

        if (state.ShowMore && card.MoreCount > 0)
        {
            var items = new List<JsonNode>();
            foreach (var other in card.More)
            {
                items.Add(Text($"**Also:** {other.Message}"));
                if (other.Suggestions.Count > 0)
                {
                    items.Add(Text($"Try: {Quoted(other.Suggestions[0])}", subtle: true));
                }
            }

            if (card.Point is not null && card.Praise is { } alsoGood)
            {
                items.Add(Text($"**What's working:** {alsoGood.Message}"));
            }

            body.Add(Container([.. items]));
        }

        if (card.Closing is { } closing)
        {
            body.Add(Text(closing, subtle: true));
        }

        if (card.Subject is not null && card.FeedbackLine is { } line)
        {
            body.Add(Text(line, subtle: true));
            if (state.Feedback == FeedbackMark.NotHelpful && state.Reason is null)
            {
                // The one optional follow-up, as small buttons under the line; counted per rule, never stored as text.
                body.Add(new JsonObject
                {
                    ["type"] = "ActionSet",
                    ["actions"] = new JsonArray([.. FeedbackReasons.All.Select(r => Button(r.Label, CoachingActions.Reason, state, r.Code))]),
                });
            }
        }

        var result = new JsonObject
        {
            ["type"] = "AdaptiveCard",
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            // 1.5 is the first version with Action.Execute (Universal Actions).
            ["version"] = "1.5",
            ["fallbackText"] = PlainText(card),
            ["msteams"] = new JsonObject { ["width"] = "Full" },
            ["body"] = body,
        };

        if (card.Subject is not null)
        {
            result["actions"] = Buttons(card);
        }

        return result;
    }

    /// <summary>The card as readable text: the card's <c>fallbackText</c>, for clients that cannot draw cards.</summary>
    public static string PlainText(CoachingCard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        var sb = new StringBuilder().AppendLine(card.Headline);
        if (card.Point is { } point)
        {
            sb.Append("What I noticed: ").AppendLine(point.Message);
        }
        else if (card.Praise is { } praise)
        {
            sb.Append("What's working: ").AppendLine(praise.Message);
        }

        if (card.Rewrite is { } rewrite)
        {
            sb.Append(card.RewriteLabel).Append(": ").AppendLine(Quoted(rewrite));
        }

        if (card.Subject is { } subject)
        {
            sb.Append(card.Point is null ? "To go further: " : "Ask yourself: ").AppendLine(subject.Ask);
        }

        if (card.Closing is { } closing)
        {
            sb.AppendLine(closing);
        }

        return sb.ToString().TrimEnd();
    }

    public static string PlainText(CoachingReply reply) => PlainText(CoachingCard.From(reply));

    /// <summary>The notification preview: the headline and what was noticed, on one line.</summary>
    public static string Summary(CoachingCard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        var first = card.Subject?.Message;
        var text = first is null ? card.Headline : card.Headline + " " + first;
        return text.Length <= MaxSummary ? text : string.Concat(text.AsSpan(0, MaxSummary - 1), "\u2026");
    }

    private static JsonArray Buttons(CoachingCard card)
    {
        var state = card.State;
        var buttons = new JsonArray();
        if (card.RewriteCount > 1)
        {
            buttons.Add(Button(CoachingActions.AnotherLabel, CoachingActions.Another, state));
        }

        if (!state.ShowWhy)
        {
            buttons.Add(Button(CoachingActions.WhyLabel, CoachingActions.Why, state));
        }

        if (!state.ShowMore && card.MoreCount > 0)
        {
            buttons.Add(Button(CoachingActions.MoreLabel(card.MoreCount), CoachingActions.More, state));
        }

        if (state.Feedback == FeedbackMark.None)
        {
            buttons.Add(Button(CoachingActions.HelpfulLabel, CoachingActions.Helpful, state));
            buttons.Add(Button(CoachingActions.NotHelpfulLabel, CoachingActions.NotHelpful, state));
        }
        else
        {
            buttons.Add(Button(CoachingActions.ChangeLabel, CoachingActions.ChangeFeedback, state));
        }

        return buttons;
    }

    /// <summary>A markdown link to the rule's source when it is a web address.</summary>
    internal static string SourceLine(string source) =>
        Uri.TryCreate(source, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"
            ? $"Source: [{uri.Host}]({uri.AbsoluteUri})"
            : "Source: " + source;

    // A suggestion that already quotes something is an instruction, not a line to say: no second pair of quotes.
    internal static string Quoted(string suggestion) =>
        suggestion.Contains('"', StringComparison.Ordinal) ? suggestion : $"\u201c{suggestion}\u201d";

    private static JsonObject Button(string title, string verb, CardState state, string? reason = null)
    {
        var data = new JsonObject();
        foreach (var (key, value) in state.ToData())
        {
            data[key] = value;
        }

        if (reason is not null)
        {
            data["reason"] = reason;
        }

        var fallbackData = data.DeepClone().AsObject();
        fallbackData["verb"] = verb;
        return new JsonObject
        {
            ["type"] = "Action.Execute",
            ["title"] = title,
            ["verb"] = verb,
            ["data"] = data,
            // Older clients without Universal Actions send a message instead; the verb travels in the data.
            ["fallback"] = new JsonObject { ["type"] = "Action.Submit", ["title"] = title, ["data"] = fallbackData },
        };
    }

    /// <summary>A feedback button for things that are not coaching replies (nudge tips): rule id only.</summary>
    internal static JsonObject Button(string title, string verb, string rule, int suggestion) => new()
    {
        ["type"] = "Action.Execute",
        ["title"] = title,
        ["verb"] = verb,
        ["data"] = new JsonObject { ["rule"] = rule, ["suggestion"] = suggestion.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        ["fallback"] = new JsonObject
        {
            ["type"] = "Action.Submit",
            ["title"] = title,
            ["data"] = new JsonObject { ["verb"] = verb, ["rule"] = rule, ["suggestion"] = suggestion.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        },
    };

    internal static JsonObject Container(params JsonNode[] items) => new()
    {
        ["type"] = "Container",
        ["separator"] = true,
        ["items"] = new JsonArray(items),
    };

    internal static JsonObject Label(string text) => Text(text, weight: "Bolder");

    internal static JsonObject Text(string text, string? weight = null, string? size = null, bool subtle = false)
    {
        var block = new JsonObject { ["type"] = "TextBlock", ["text"] = text, ["wrap"] = true };
        if (weight is not null)
        {
            block["weight"] = weight;
        }

        if (size is not null)
        {
            block["size"] = size;
        }

        if (subtle)
        {
            block["isSubtle"] = true;
        }

        return block;
    }
}
