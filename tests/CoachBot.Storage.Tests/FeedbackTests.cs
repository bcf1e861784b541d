using Microsoft.EntityFrameworkCore;

namespace CoachBot.Storage.Tests;

public sealed class FeedbackOnSqlite() : FeedbackTests(TestProvider.Sqlite);

public sealed class FeedbackOnPostgres() : FeedbackTests(TestProvider.Postgres);

public abstract class FeedbackTests(TestProvider provider) : StorageTest(provider)
{
    private Feedback _feedback = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _feedback = new Feedback(Db, Time);
    }

    [Fact]
    public async Task Records_one_vote_per_person_per_message()
    {
        for (var n = 0; n < 10; n++)
        {
            await _feedback.RecordAsync(InboxItem.Slack, "C1:1700000000.0001", "U1", "question.purchasing-process", helpful: true);
        }

        Assert.Equal([new RuleFeedbackCount("question.purchasing-process", 1, 0)], await _feedback.CountsAsync());
    }

    [Fact]
    public async Task Changing_your_mind_moves_the_vote()
    {
        await _feedback.RecordAsync(InboxItem.Slack, "C1:1.1", "U1", "rule.a", helpful: true);
        Time.Advance(TimeSpan.FromMinutes(1));

        await _feedback.RecordAsync(InboxItem.Slack, "C1:1.1", "U1", "rule.a", helpful: false);

        Assert.Equal([new RuleFeedbackCount("rule.a", 0, 1)], await _feedback.CountsAsync());
        var vote = await Db.FeedbackVotes.SingleAsync();
        Assert.Equal(Time.GetUtcNow(), vote.VotedAt);
    }

    [Fact]
    public async Task Counts_sum_people_messages_and_channels_per_rule_unless_a_channel_is_named()
    {
        await _feedback.RecordAsync(InboxItem.Slack, "C1:1.1", "U1", "rule.a", helpful: true);
        await _feedback.RecordAsync(InboxItem.Slack, "C1:1.1", "U2", "rule.a", helpful: false);
        await _feedback.RecordAsync(InboxItem.Slack, "C1:2.2", "U1", "rule.a", helpful: true);
        await _feedback.RecordAsync(InboxItem.Slack, "C1:2.2", "U1", "rule.b", helpful: true); // Another rule on the same reply.
        await _feedback.RecordAsync(InboxItem.Teams, "a:1:act-1", "29:u1", "rule.a", helpful: true);
        await _feedback.RecordAsync(InboxItem.Teams, "a:1:act-1", "29:u1", "tip.listen-first", helpful: false);

        Assert.Equal(
            [new RuleFeedbackCount("rule.a", 3, 1), new RuleFeedbackCount("rule.b", 1, 0), new RuleFeedbackCount("tip.listen-first", 0, 1)],
            await _feedback.CountsAsync());
        Assert.Equal(
            [new RuleFeedbackCount("rule.a", 1, 0), new RuleFeedbackCount("tip.listen-first", 0, 1)],
            await _feedback.CountsAsync(InboxItem.Teams));
    }

    [Fact]
    public async Task Counts_the_reasons_given_for_not_helpful_per_rule_and_a_changed_mind_clears_the_reason()
    {
        await _feedback.RecordAsync(InboxItem.Slack, "C1:1.1", "U1", "rule.a", helpful: false, reason: "tone");
        await _feedback.RecordAsync(InboxItem.Slack, "C1:1.1", "U2", "rule.a", helpful: false, reason: "wrong_call");
        await _feedback.RecordAsync(InboxItem.Slack, "C1:2.2", "U1", "rule.a", helpful: false, reason: "rewrite");
        await _feedback.RecordAsync(InboxItem.Teams, "a:1:act-1", "29:u1", "rule.a", helpful: false);
        await _feedback.RecordAsync(InboxItem.Teams, "a:1:act-2", "29:u1", "rule.a", helpful: false, reason: "tone");
        await _feedback.RecordAsync(InboxItem.Teams, "a:1:act-2", "29:u1", "rule.a", helpful: true); // Changed their mind.

        Assert.Equal([new RuleFeedbackCount("rule.a", 1, 4, WrongCall: 1, RewriteNotUseful: 1, Tone: 1)], await _feedback.CountsAsync());
        Assert.Null((await Db.FeedbackVotes.SingleAsync(v => v.MessageKey == "a:1:act-2")).Reason);
    }

    [Theory]
    [InlineData(true, "tone")] // A helpful vote has no reason.
    [InlineData(false, "the rewrite was bad")] // Only a code from the fixed list, never words.
    public async Task Refuses_a_reason_that_is_not_one_of_the_codes(bool helpful, string reason) =>
        await Assert.ThrowsAsync<ArgumentException>(() => _feedback.RecordAsync(InboxItem.Slack, "C1:1.1", "U1", "rule.a", helpful, reason));

    [Theory]
    [InlineData("What is your budget?")] // Text where an id belongs would keep what the rep wrote.
    [InlineData("")]
    public async Task Message_key_that_is_not_an_id_is_refused(string messageKey)
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() => _feedback.RecordAsync(InboxItem.Slack, messageKey, "U1", "rule.a", helpful: true));
    }

    [Fact]
    public async Task Unknown_channel_is_refused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _feedback.RecordAsync("email", "m1", "U1", "rule.a", helpful: true));
    }

    [Fact]
    public async Task Racing_presses_by_one_person_count_once()
    {
        for (var n = 0; n < 10; n++)
        {
            var key = $"C1:{n}.1";
            await RaceAsync(4, async db =>
            {
                await new Feedback(db, Time).RecordAsync(InboxItem.Slack, key, "U1", "rule.a", helpful: n % 2 == 0);
                return true;
            });
        }

        Assert.Equal([new RuleFeedbackCount("rule.a", 5, 5)], await _feedback.CountsAsync());
        Assert.Equal(10, await Db.FeedbackVotes.CountAsync());
    }
}
