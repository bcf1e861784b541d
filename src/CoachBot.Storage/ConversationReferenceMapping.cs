using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CoachBot.Storage;

internal sealed class ConversationReferenceMapping : IEntityTypeConfiguration<ConversationReference>
{
    public void Configure(EntityTypeBuilder<ConversationReference> reference)
    {
        reference.ToTable("conversation_references");
        reference.HasKey(r => r.Id);
        reference.Property(r => r.ConversationId).HasMaxLength(CoachBotDbContext.KeyLength);
        reference.Property(r => r.TenantId).HasMaxLength(64);
        reference.Property(r => r.ServiceUrl).HasMaxLength(CoachBotDbContext.KeyLength);
        reference.Property(r => r.BotId).HasMaxLength(CoachBotDbContext.KeyLength);
        reference.Property(r => r.ConversationType).HasMaxLength(16);
        reference.Property(r => r.TeamId).HasMaxLength(CoachBotDbContext.KeyLength);
        reference.Property(r => r.ChannelId).HasMaxLength(CoachBotDbContext.KeyLength);
        reference.Property(r => r.UserId).HasMaxLength(CoachBotDbContext.KeyLength);
        reference.HasIndex(r => r.ConversationId).IsUnique();
    }
}
