using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CoachBot.Storage;

internal sealed class NudgeSubscriptionMapping : IEntityTypeConfiguration<NudgeSubscription>
{
    public void Configure(EntityTypeBuilder<NudgeSubscription> subscription)
    {
        subscription.ToTable("nudge_subscriptions");
        subscription.HasKey(s => s.Id);
        subscription.Property(s => s.Channel).HasMaxLength(16);
        subscription.Property(s => s.Workspace).HasMaxLength(64);
        subscription.Property(s => s.ConversationId).HasMaxLength(CoachBotDbContext.KeyLength);
        subscription.Property(s => s.TimeZoneId).HasMaxLength(64);
        subscription.Property(s => s.Days).HasConversion<string>().HasMaxLength(16);
        subscription.Property(s => s.CreatedBy).HasMaxLength(CoachBotDbContext.KeyLength);
        // Stored as a UTC DateTime: the dispatcher compares and orders it in SQL, which SQLite can do with EF's
        // sortable DateTime text but not with DateTimeOffset.
        subscription.Property(s => s.NextDueAt).HasConversion(
            v => v.UtcDateTime,
            v => new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc)));
        subscription.HasIndex(s => new { s.Channel, s.ConversationId }).IsUnique();
        subscription.HasIndex(s => s.NextDueAt);
    }
}
