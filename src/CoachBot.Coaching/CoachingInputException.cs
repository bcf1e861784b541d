namespace CoachBot.Coaching;

/// <summary>The text cannot be coached; <see cref="Exception.Message"/> is written for the rep.</summary>
public sealed class CoachingInputException : Exception
{
    public CoachingInputException()
    {
    }

    public CoachingInputException(string message)
        : base(message)
    {
    }

    public CoachingInputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
