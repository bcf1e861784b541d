using System.Text.Json.Nodes;

namespace CoachBot.Teams.Tests;

public sealed class TeamsActivitiesTests
{
    [Fact]
    public void Builds_a_plain_message()
    {
        var activity = TeamsActivities.Message("Nice question.");

        Assert.Equal("""{"type":"message","text":"Nice question.","textFormat":"plain"}""", activity.ToJsonString());
    }

    [Fact]
    public void Marks_a_reply_with_the_activity_it_answers() =>
        Assert.Equal("1700000000456", (string?)TeamsActivities.Message("Nice.", replyToId: "1700000000456")["replyToId"]);

    [Fact]
    public void Builds_a_card_message_with_a_summary_no_duplicated_text_and_a_copy_of_the_attachment()
    {
        var attachment = new JsonObject
        {
            ["contentType"] = AdaptiveCardRenderer.CardContentType,
            ["content"] = new JsonObject { ["type"] = "AdaptiveCard" },
        };

        var first = TeamsActivities.Card(attachment, "Worth another look.");
        var second = TeamsActivities.Card(attachment, "Worth another look.");

        Assert.Equal("message", (string?)first["type"]);
        // Text beside a card shows as a second message in Teams; the summary is the notification preview.
        Assert.Null(first["text"]);
        Assert.Equal("Worth another look.", (string?)first["summary"]);
        Assert.Equal(AdaptiveCardRenderer.CardContentType, (string?)first["attachments"]![0]!["contentType"]);
        Assert.Null(first["replyToId"]);
        // One card can go to many conversations: each activity owns its own copy.
        Assert.Equal(first.ToJsonString(), second.ToJsonString());
    }
}
