namespace CoachBot.Coaching.Messages;

/// <summary>What a rep sent: detected from the text unless the caller says.</summary>
public enum InputKind
{
    Question,
    CallNote,
    Message,
}
