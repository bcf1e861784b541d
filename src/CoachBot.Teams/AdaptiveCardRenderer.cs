using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using CoachBot.Coaching.Messages;

namespace CoachBot.Teams;

/// <summary>
/// Turns a <see cref="CoachingReply"/> into the Adaptive Card Teams shows, and wraps cards and
/// toasts in the invoke-response body an <c>adaptiveCard/action</c> needs.
/// </summary>
/// <remarks>
/// Button data carries the rule id (and which suggestion is showing), never the rep's text, so a
/// button press never echoes a draft back through the Bot Service. Each call builds new nodes.
/// </remarks>
public static class AdaptiveCardRenderer
{
    public const string CardContentType = "application/vnd.microsoft.card.adaptive";
    public const string MessageContentType = "application/vnd.microsoft.activity.message";


    /// <summary>The message attachment: <c>{"contentType": …, "content": card}</c>.</summary>
    /// <param name="suggestion">Which of the main point's suggested rewrites to show; "Another suggestion" moves it on.</param>
    public static JsonObject Attachment(CoachingReply reply, int suggestion = 0) => new()
    {
        ["contentType"] = CardContentType,
        ["content"] = Card(reply, suggestion),
    };

    /// <summary>The body of the HTTP answer to <c>adaptiveCard/action</c>: the card that replaces the pressed one.</summary>
    public static JsonObject CardInvokeResponse(CoachingReply reply, int suggestion = 0) => new()
    {
        ["statusCode"] = 200,
        ["type"] = CardContentType,
        ["value"] = Card(reply, suggestion),
    };

    /// <summary>The body of the HTTP answer to <c>adaptiveCard/action</c> that only shows a short toast (e.g. after feedback).</summary>
    public static JsonObject MessageInvokeResponse(string text) => new()
    {
        ["statusCode"] = 200,
        ["type"] = MessageContentType,
        ["value"] = text,
    };

    public static JsonObject Card(CoachingReply reply, int suggestion = 0)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var body = new JsonArray { Text(reply.Headline, weight: "Bolder", size: "Medium") };
        for (var i = 0; i < reply.Points.Count; i++)
        {
            // Only the main point rotates through its rewrites; a second point keeps its first.
            body.Add(PointContainer(reply.Points[i], i == 0 ? suggestion : 0));
        }

        if (reply.Praise is { } praise)
        {
            body.Add(Container(
                Label("What's working"), Text(praise.Message),
                Label("Why it works"), Text(praise.Why),
                Label("To go further"), Text(praise.Ask)));
        }

        body.Add(Text(reply.Closing, subtle: true));

        var card = new JsonObject
        {
            ["type"] = "AdaptiveCard",
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            // 1.5 is the first version with Action.Execute (Universal Actions).
            ["version"] = "1.5",
            ["fallbackText"] = PlainText(reply, suggestion),
            ["msteams"] = new JsonObject { ["width"] = "Full" },
            ["body"] = body,
        };

        // The subject of the buttons: the main point, or the praise when nothing needs work.
        if ((reply.Points.Count > 0 ? reply.Points[0] : reply.Praise) is { } subject)
        {
            card["actions"] = new JsonArray
            {
                Button(CoachingActions.AnotherLabel, CoachingActions.Another, subject.Rule, suggestion + 1),
                Button(CoachingActions.WhyLabel, CoachingActions.Why, subject.Rule, suggestion),
                Button(CoachingActions.HelpfulLabel, CoachingActions.Helpful, subject.Rule, suggestion),
                Button(CoachingActions.NotHelpfulLabel, CoachingActions.NotHelpful, subject.Rule, suggestion),
            };
        }

        return card;
    }

    /// <summary>The same content as readable text, for clients that cannot draw the card and for notifications.</summary>
    public static string PlainText(CoachingReply reply, int suggestion = 0)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var sb = new StringBuilder().AppendLine(reply.Headline);
        for (var i = 0; i < reply.Points.Count; i++)
        {
            var point = reply.Points[i];
            sb.AppendLine()
                .Append("What I noticed: ").AppendLine(point.Message)
                .Append("Why it matters: ").AppendLine(point.Why)
                .Append("Ask yourself: ").AppendLine(point.Ask)
                .Append("Try: ").AppendLine(Quoted(SuggestionOf(point, i == 0 ? suggestion : 0)));
        }

        if (reply.Praise is { } praise)
        {
            sb.AppendLine().Append("What's working: ").AppendLine(praise.Message);
        }

        return sb.AppendLine().Append(reply.Closing).ToString();
    }

    private static JsonObject PointContainer(Finding point, int suggestion)
    {
        var items = new List<JsonNode> { Label("What I noticed"), Text(point.Message) };
        if (point.Excerpt.Length > 0)
        {
            items.Add(Text($"In: \u201c{point.Excerpt}\u201d", subtle: true));
        }

        items.AddRange(
        [
            Label("Why it matters"), Text(point.Why),
            Label("Ask yourself"), Text(point.Ask),
            Label("Try"), Text(Quoted(SuggestionOf(point, suggestion))),
        ]);
        return Container([.. items]);
    }

    private static string SuggestionOf(Finding point, int suggestion) =>
        point.Suggestions[(int)((uint)suggestion % (uint)point.Suggestions.Count)];

    // A suggestion that already quotes something is an instruction, not a line to say: no second pair of quotes.
    internal static string Quoted(string suggestion) =>
        suggestion.Contains('"', StringComparison.Ordinal) ? suggestion : $"\u201c{suggestion}\u201d";

    internal static JsonObject Button(string title, string verb, string rule, int suggestion) => new()
    {
        ["type"] = "Action.Execute",
        ["title"] = title,
        ["verb"] = verb,
        ["data"] = new JsonObject { ["rule"] = rule, ["suggestion"] = Invariant(suggestion) },
        // Older clients without Universal Actions send a message instead; the verb travels in the data.
        ["fallback"] = new JsonObject
        {
            ["type"] = "Action.Submit",
            ["title"] = title,
            ["data"] = new JsonObject { ["verb"] = verb, ["rule"] = rule, ["suggestion"] = Invariant(suggestion) },
        },
    };

    // Strings, because Adaptive Card data comes back merged with inputs and the parser keeps string values only.
    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

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
