using Microsoft.EntityFrameworkCore;

namespace CoachBot.Storage;

/// <summary>
/// The Teams conversations the bot is in, kept so it can post first (welcome, nudges). One instance per
/// <see cref="CoachBotDbContext"/> (scoped).
/// </summary>
public sealed class ConversationReferences(CoachBotDbContext db, TimeProvider time)
{
    /// <summary>
    /// Inserts the conversation, or refreshes a known one (the service URL can move); a known one keeps its
    /// <see cref="ConversationReference.InstalledAt"/> and <see cref="ConversationReference.WelcomedAt"/>.
    /// </summary>
    public async Task UpsertAsync(ConversationReference reference, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ShortCodes.CheckId(reference.ConversationId, nameof(reference));
        ArgumentNullException.ThrowIfNull(reference.TenantId, nameof(reference));
        ArgumentException.ThrowIfNullOrWhiteSpace(reference.ServiceUrl, nameof(reference));
        ArgumentException.ThrowIfNullOrWhiteSpace(reference.BotId, nameof(reference));
        var type = NormaliseType(reference.ConversationType);

        for (var attempt = 0; ; attempt++)
        {
            var updated = await db.ConversationReferences
                .Where(r => r.ConversationId == reference.ConversationId)
                .ExecuteUpdateAsync(
                    s => s.SetProperty(r => r.TenantId, reference.TenantId)
                        .SetProperty(r => r.ServiceUrl, reference.ServiceUrl)
                        .SetProperty(r => r.BotId, reference.BotId)
                        .SetProperty(r => r.ConversationType, type)
                        .SetProperty(r => r.TeamId, reference.TeamId)
                        .SetProperty(r => r.ChannelId, reference.ChannelId)
                        .SetProperty(r => r.UserId, reference.UserId),
                    cancellationToken)
                .ConfigureAwait(false);
            if (updated > 0)
            {
                return;
            }

            var row = new ConversationReference
            {
                ConversationId = reference.ConversationId,
                TenantId = reference.TenantId,
                ServiceUrl = reference.ServiceUrl,
                BotId = reference.BotId,
                ConversationType = type,
                TeamId = reference.TeamId,
                ChannelId = reference.ChannelId,
                UserId = reference.UserId,
                InstalledAt = time.GetUtcNow(),
            };
            db.ConversationReferences.Add(row);
            try
            {
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (DbUpdateException e) when (attempt == 0 && DbErrors.IsUniqueViolation(e))
            {
                // Teams sends installationUpdate and conversationUpdate together; the other one inserted first.
            }
            finally
            {
                db.Entry(row).State = EntityState.Detached;
            }
        }
    }

    public Task<ConversationReference?> FindAsync(string conversationId, CancellationToken cancellationToken = default) =>
        db.ConversationReferences.AsNoTracking().FirstOrDefaultAsync(r => r.ConversationId == conversationId, cancellationToken);

    /// <summary>Forgets the conversation (the bot was removed); false when it was not known.</summary>
    public async Task<bool> RemoveAsync(string conversationId, CancellationToken cancellationToken = default) =>
        await db.ConversationReferences
            .Where(r => r.ConversationId == conversationId)
            .ExecuteDeleteAsync(cancellationToken)
            .ConfigureAwait(false) > 0;

    /// <summary>
    /// True for exactly one caller, the first: a conditional UPDATE (WHERE WelcomedAt IS NULL) decides, so two workers
    /// handling the install events at once cannot both welcome. False for an unknown conversation.
    /// </summary>
    public async Task<bool> TryMarkWelcomedAsync(string conversationId, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        return await db.ConversationReferences
            .Where(r => r.ConversationId == conversationId && r.WelcomedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.WelcomedAt, now), cancellationToken)
            .ConfigureAwait(false) == 1;
    }

    private static string NormaliseType(string type) => type?.ToUpperInvariant() switch
    {
        "PERSONAL" => ConversationReference.Personal,
        "GROUPCHAT" => ConversationReference.GroupChat,
        "CHANNEL" => ConversationReference.ChannelConversation,
        _ => throw new ArgumentException(
            $"ConversationType must be {ConversationReference.Personal}, {ConversationReference.GroupChat} or {ConversationReference.ChannelConversation}.",
            nameof(type)),
    };
}
