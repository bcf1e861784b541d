using Microsoft.EntityFrameworkCore;

namespace CoachBot.Storage;

/// <summary>
/// Slack installs, one per workspace or org: OAuth saves them, every Slack API call looks its token up here, and an
/// uninstall or token revocation deletes them. One instance per <see cref="CoachBotDbContext"/> (scoped).
/// </summary>
public sealed class SlackInstallations(CoachBotDbContext db, TimeProvider time)
{
    /// <summary>
    /// Inserts the install, or updates the one with the same (enterprise, team), as a re-install or a scope change does;
    /// <see cref="SlackInstallation.InstalledAt"/> stays the first install's, whatever the caller set.
    /// </summary>
    public async Task SaveAsync(SlackInstallation installation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(installation);
        ArgumentNullException.ThrowIfNull(installation.TeamId, nameof(installation));
        ArgumentException.ThrowIfNullOrWhiteSpace(installation.BotUserId, nameof(installation));
        ArgumentException.ThrowIfNullOrWhiteSpace(installation.ProtectedBotToken, nameof(installation));
        if (installation.TeamId.Length == 0 && installation.EnterpriseId is null)
        {
            throw new ArgumentException("An install without a team id is an org-wide one and needs its enterprise id.", nameof(installation));
        }

        var now = time.GetUtcNow();
        // Update first, insert when absent, and update again if another callback inserted in between: race-free on
        // both providers without a transaction.
        for (var attempt = 0; ; attempt++)
        {
            var updated = await Exactly(installation.TeamId, installation.EnterpriseId)
                .ExecuteUpdateAsync(
                    s => s.SetProperty(i => i.BotUserId, installation.BotUserId)
                        .SetProperty(i => i.BotId, installation.BotId)
                        .SetProperty(i => i.AppId, installation.AppId)
                        .SetProperty(i => i.Scopes, installation.Scopes)
                        .SetProperty(i => i.ProtectedBotToken, installation.ProtectedBotToken)
                        .SetProperty(i => i.UpdatedAt, now),
                    cancellationToken)
                .ConfigureAwait(false);
            if (updated > 0)
            {
                return;
            }

            var row = new SlackInstallation
            {
                TeamId = installation.TeamId,
                EnterpriseId = installation.EnterpriseId,
                BotUserId = installation.BotUserId,
                BotId = installation.BotId,
                AppId = installation.AppId,
                Scopes = installation.Scopes,
                ProtectedBotToken = installation.ProtectedBotToken,
                InstalledAt = now,
                UpdatedAt = now,
            };
            db.SlackInstallations.Add(row);
            try
            {
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (DbUpdateException e) when (attempt == 0 && DbErrors.IsUniqueViolation(e))
            {
                // Someone else inserted it first; the update on the next pass wins over theirs.
            }
            finally
            {
                db.Entry(row).State = EntityState.Detached;
            }
        }
    }

    /// <summary>
    /// The install whose token serves this workspace: its own, else its org's org-wide install (an Enterprise Grid app
    /// installed once for the org serves every workspace in it). Null when neither exists.
    /// </summary>
    public async Task<SlackInstallation?> FindAsync(string teamId, string? enterpriseId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(teamId);
        var own = await Exactly(teamId, enterpriseId).AsNoTracking().FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (own is not null || string.IsNullOrEmpty(enterpriseId) || teamId.Length == 0)
        {
            return own;
        }

        return await Exactly("", enterpriseId).AsNoTracking().FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Deletes exactly this (team, enterprise) install (no fallback to the org's), as <c>app_uninstalled</c> and
    /// <c>tokens_revoked</c> require; returns the rows deleted, 0 or 1.
    /// </summary>
    public Task<int> DeleteAsync(string teamId, string? enterpriseId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(teamId);
        return Exactly(teamId, enterpriseId).ExecuteDeleteAsync(cancellationToken);
    }

    private IQueryable<SlackInstallation> Exactly(string teamId, string? enterpriseId)
    {
        var key = enterpriseId ?? "";
        return db.SlackInstallations.Where(i =>
            i.TeamId == teamId && i.EnterpriseKey == key);
    }
}
