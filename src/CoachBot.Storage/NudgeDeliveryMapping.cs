using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CoachBot.Storage;

internal sealed class NudgeDeliveryMapping : IEntityTypeConfiguration<NudgeDelivery>
{
    public void Configure(EntityTypeBuilder<NudgeDelivery> delivery)
    {
        delivery.ToTable("nudge_deliveries");
        delivery.HasKey(d => d.Id);
        delivery.Property(d => d.State).HasConversion<string>().HasMaxLength(16);
        delivery.Property(d => d.TipId).HasMaxLength(CoachBotDbContext.KeyLength);
        delivery.Property(d => d.Owner).HasMaxLength(CoachBotDbContext.KeyLength);
        delivery.Property(d => d.Error).HasMaxLength(ShortCodes.MaxCodeLength);

        // The final guard: one row, so at most one nudge, per subscription and local date.
        delivery.HasIndex(d => new { d.SubscriptionId, d.LocalDate }).IsUnique();
        // History goes with its subscription; a reservation for a subscription removed meanwhile fails cleanly.
        delivery.HasOne<NudgeSubscription>().WithMany().HasForeignKey(d => d.SubscriptionId).OnDelete(DeleteBehavior.Cascade);
    }
}
