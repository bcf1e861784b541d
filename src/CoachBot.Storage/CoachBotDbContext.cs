using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace CoachBot.Storage;

/// <summary>CoachBot's tables. Each database provider has its own sealed subclass so its migrations stay apart.</summary>
/// <remarks>
/// It is also the Data Protection key store (<see cref="IDataProtectionKeyContext"/>): with the keys in the shared
/// database, a token one replica encrypted is readable by every other, and keys survive a redeploy.
/// </remarks>
public abstract class CoachBotDbContext : DbContext, IDataProtectionKeyContext
{
    internal const int KeyLength = 200;

    protected CoachBotDbContext(DbContextOptions options)
        : base(options)
    {
    }

    public DbSet<InboxItem> InboxItems => Set<InboxItem>();

    public DbSet<SlackInstallation> SlackInstallations => Set<SlackInstallation>();

    public DbSet<ConversationReference> ConversationReferences => Set<ConversationReference>();

    public DbSet<FeedbackVote> FeedbackVotes => Set<FeedbackVote>();

    public DbSet<NudgeSubscription> NudgeSubscriptions => Set<NudgeSubscription>();

    public DbSet<NudgeDelivery> NudgeDeliveries => Set<NudgeDelivery>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);

        modelBuilder.ApplyConfiguration(new InboxItemMapping());
        modelBuilder.ApplyConfiguration(new SlackInstallationMapping());
        modelBuilder.ApplyConfiguration(new ConversationReferenceMapping());
        modelBuilder.ApplyConfiguration(new FeedbackVoteMapping());
        modelBuilder.ApplyConfiguration(new NudgeSubscriptionMapping());
        modelBuilder.ApplyConfiguration(new NudgeDeliveryMapping());
        modelBuilder.Entity<DataProtectionKey>().ToTable("data_protection_keys");
    }
}
