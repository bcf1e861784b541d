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

        // Slack and the Bot Service always send Content-Length: read straight into one array of that size.
        if (request.ContentLength is { } length)
        {
            var body = new byte[length];
            var filled = 0;
            while (filled < body.Length)
            {
                var n = await request.Body.ReadAsync(body.AsMemory(filled), cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    return body[..filled];
                }

                filled += n;
            }

            // More than announced is not a body we can trust to have been signed as sent.
            return await request.Body.ReadAsync(new byte[1], cancellationToken).ConfigureAwait(false) == 0 ? body : null;
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
