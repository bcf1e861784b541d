namespace CoachBot.Endpoints;

/// <summary>Reads a channel's request body whole, so it can be verified on its raw bytes before anything parses it.</summary>
internal static class RequestBody
{
    /// <summary>Neither Slack nor the Bot Service sends more; anything larger is refused before it is read whole.</summary>
    public const int MaxBytes = 1024 * 1024;

    /// <summary>The raw body, or null when it is larger than <see cref="MaxBytes"/>.</summary>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
