using Microsoft.EntityFrameworkCore;

namespace CoachBot.Storage;

/// <summary>CoachBot's tables. Each database provider has its own sealed subclass so its migrations stay apart.</summary>
public abstract class CoachBotDbContext : DbContext
{
    internal const int KeyLength = 200;

    protected CoachBotDbContext(DbContextOptions options)
        : base(options)
    {
    }

    public DbSet<InboxItem> InboxItems => Set<InboxItem>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);

        var inbox = modelBuilder.Entity<InboxItem>();
        inbox.ToTable("inbox");
        inbox.HasKey(i => i.Id);
        inbox.Property(i => i.Channel).HasMaxLength(16);
        inbox.Property(i => i.DeliveryKey).HasMaxLength(KeyLength);
        inbox.Property(i => i.DedupeKey).HasMaxLength(KeyLength);
        inbox.Property(i => i.LeaseOwner).HasMaxLength(KeyLength);
        inbox.Property(i => i.LastError).HasMaxLength(Inbox.MaxErrorCodeLength);
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
