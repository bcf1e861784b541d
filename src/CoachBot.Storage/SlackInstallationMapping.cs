using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CoachBot.Storage;

internal sealed class SlackInstallationMapping : IEntityTypeConfiguration<SlackInstallation>
{
    public void Configure(EntityTypeBuilder<SlackInstallation> installation)
    {
        installation.ToTable("slack_installations");
        installation.HasKey(i => i.Id);
        installation.Ignore(i => i.EnterpriseId);
        installation.Property(i => i.EnterpriseKey).HasColumnName("EnterpriseId").HasMaxLength(64);
        installation.Property(i => i.TeamId).HasMaxLength(64);
        installation.Property(i => i.BotUserId).HasMaxLength(64);
        installation.Property(i => i.BotId).HasMaxLength(64);
        installation.Property(i => i.AppId).HasMaxLength(64);

        // One row per install; "" stands for "no enterprise" and for "the whole org" so both collide as they should.
        installation.HasIndex(i => new { i.EnterpriseKey, i.TeamId }).IsUnique();
    }
}
