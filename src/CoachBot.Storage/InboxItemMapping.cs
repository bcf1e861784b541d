using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CoachBot.Storage;

internal sealed class InboxItemMapping : IEntityTypeConfiguration<InboxItem>
{
    public void Configure(EntityTypeBuilder<InboxItem> inbox)
    {
        inbox.ToTable("inbox");
        inbox.HasKey(i => i.Id);
        inbox.Property(i => i.Channel).HasMaxLength(16);
        inbox.Property(i => i.DeliveryKey).HasMaxLength(CoachBotDbContext.KeyLength);
        inbox.Property(i => i.DedupeKey).HasMaxLength(CoachBotDbContext.KeyLength);
        inbox.Property(i => i.LeaseOwner).HasMaxLength(CoachBotDbContext.KeyLength);
        inbox.Property(i => i.LastError).HasMaxLength(ShortCodes.MaxCodeLength);
        // Stored as text so the table reads plainly in sqlite3 and psql.
        inbox.Property(i => i.State).HasConversion<string>().HasMaxLength(16);

        // The unique indexes are the dedupe: a second insert of the same delivery fails inside the database,
        // which is race-free where a check-then-insert is not. NULL dedupe keys never collide (SQLite and PostgreSQL).
        inbox.HasIndex(i => new { i.Channel, i.DeliveryKey }).IsUnique();
        inbox.HasIndex(i => new { i.Channel, i.DedupeKey }).IsUnique();
        // Claims and depth read pending items oldest first; done rows pile up, this keeps them out of the way.
        inbox.HasIndex(i => new { i.State, i.ReceivedAt });
    }
}
