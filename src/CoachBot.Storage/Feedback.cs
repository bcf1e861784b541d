using Microsoft.EntityFrameworkCore;

namespace CoachBot.Storage;

/// <summary>
/// Helpful / not-helpful votes on coaching advice and nudge tips, per rule, to learn which rules work. One instance per
/// <see cref="CoachBotDbContext"/> (scoped).
/// </summary>
public sealed class Feedback(CoachBotDbContext db, TimeProvider time)
{
    /// <summary>
    /// Records the vote, or moves this person's earlier vote on the same message and rule: pressing ten times counts
    /// once. A single INSERT … ON CONFLICT DO UPDATE, so concurrent presses (two replicas) cannot both insert.
    /// </summary>
    /// <param name="messageKey">The message's id (Slack <c>channel:ts</c>, a Teams activity id); never its text.</param>
    public async Task RecordAsync(
        string channel, string messageKey, string voterId, string ruleId, bool helpful, CancellationToken cancellationToken = default)
    {
        ShortCodes.CheckChannel(channel, nameof(channel));
        ShortCodes.CheckId(messageKey, nameof(messageKey));
        ShortCodes.CheckId(voterId, nameof(voterId));
        ShortCodes.CheckId(ruleId, nameof(ruleId));

        var now = time.GetUtcNow();
        // Both SQLite (3.24+) and PostgreSQL read this statement the same way.
        await db.Database.ExecuteSqlAsync(
                $"""
                INSERT INTO feedback_votes ("Channel", "MessageKey", "VoterId", "RuleId", "Helpful", "VotedAt")
                VALUES ({channel}, {messageKey}, {voterId}, {ruleId}, {helpful}, {now})
                ON CONFLICT ("Channel", "MessageKey", "VoterId", "RuleId")
                DO UPDATE SET "Helpful" = excluded."Helpful", "VotedAt" = excluded."VotedAt"
                """,
                cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>Votes per rule, summed over channels unless <paramref name="channel"/> narrows them; ordered by rule id.</summary>
    public async Task<IReadOnlyList<RuleFeedbackCount>> CountsAsync(string? channel = null, CancellationToken cancellationToken = default)
    {
        var votes = db.FeedbackVotes.AsQueryable();
        if (channel is not null)
        {
            votes = votes.Where(v => v.Channel == channel);
        }

        var counts = await votes
            .GroupBy(v => v.RuleId)
            .Select(g => new { RuleId = g.Key, Helpful = g.Count(v => v.Helpful), NotHelpful = g.Count(v => !v.Helpful) })
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        return [.. counts.OrderBy(c => c.RuleId, StringComparer.Ordinal).Select(c => new RuleFeedbackCount(c.RuleId, c.Helpful, c.NotHelpful))];
    }
}
