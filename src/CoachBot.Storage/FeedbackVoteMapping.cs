using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CoachBot.Storage;

internal sealed class FeedbackVoteMapping : IEntityTypeConfiguration<FeedbackVote>
{
    public void Configure(EntityTypeBuilder<FeedbackVote> vote)
    {
        vote.ToTable("feedback_votes");
        vote.HasKey(v => v.Id);
        vote.Property(v => v.Channel).HasMaxLength(16);
        vote.Property(v => v.MessageKey).HasMaxLength(CoachBotDbContext.KeyLength);
        vote.Property(v => v.VoterId).HasMaxLength(CoachBotDbContext.KeyLength);
        vote.Property(v => v.RuleId).HasMaxLength(CoachBotDbContext.KeyLength);
        vote.Property(v => v.Reason).HasMaxLength(16);

        // The upsert's ON CONFLICT target: one vote per person, message and rule.
        vote.HasIndex(v => new { v.Channel, v.MessageKey, v.VoterId, v.RuleId }).IsUnique();
        // Counts group by rule.
        vote.HasIndex(v => v.RuleId);
    }
}
