namespace CoachBot.Slack;

/// <summary>
/// What one interactivity request asks of us: a closed set, so a <c>switch</c> over it lists every case.
/// The host answers <see cref="Malformed"/> with 400 and the others with an empty 200.
/// </summary>
public abstract record SlackInteraction
{
    // Only the nested records below can derive, which keeps the set closed.
    private SlackInteraction()
    {
    }

    /// <summary>A rep pressed one of our buttons. Only the first action is read: a button press carries exactly one.</summary>
    /// <param name="Value">The button's value (<see cref="ButtonValue"/> for coaching buttons); null for a button without one.</param>
    /// <param name="TeamId">The workspace of the rep; for an org-wide install Slack sends no team, and this is the rep's own.</param>
    /// <param name="ChannelId">Null when the button is in a view (the Home tab) rather than a message.</param>
    /// <param name="MessageTs">The message holding the button; an ephemeral message has one too, but it cannot be threaded on.</param>
    /// <param name="ThreadTs">The thread that message is in, if any.</param>
    /// <param name="ResponseUrl">Null for buttons in views, which have no response URL.</param>
    /// <param name="ContainerIsEphemeral">True when the button is on an ephemeral message: answer through <paramref name="ResponseUrl"/>.</param>
    public sealed record BlockActions(
        string ActionId,
        string? Value,
        string TeamId,
        string? EnterpriseId,
        string UserId,
        string? ChannelId,
        string? MessageTs,
        string? ThreadTs,
        Uri? ResponseUrl,
        bool ContainerIsEphemeral,
        string? TriggerId) : SlackInteraction;

    /// <summary>A well-formed interaction of a type we don't handle (<c>view_submission</c>, <c>shortcut</c>, …).</summary>
    public sealed record Ignored(string Type) : SlackInteraction;

    /// <summary>No <c>payload</c>, not JSON, or a <c>block_actions</c> missing what every one has.</summary>
    /// <param name="Reason">Names fields only, never their values, so it is safe to log.</param>
    public sealed record Malformed(string Reason) : SlackInteraction;
}
