using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CoachBot.Coaching.Learned;

/// <summary>
/// The trained second opinion as checked in: one model for questions, one for call notes and
/// messages, and the SHA-256 of the labelled files it was trained on, so anyone can tell whether
/// <c>coachbot train</c> on the same files reproduces it.
/// </summary>
public sealed record SecondOpinionWeights(
    string DataSha256,
    IReadOnlyList<string> TrainedOn,
    TrainingSettings Settings,
    double PraiseCeiling,
    LogisticModel Question,
    LogisticModel Note)
{
    /// <summary>The resource name of the weights built into the assembly.</summary>
    public const string ResourceName = "Learned/second-opinion.json";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public string ToJson()
    {
        var file = new WeightsFile(1, DataSha256, [.. TrainedOn], Settings, PraiseCeiling, ToFile(Question), ToFile(Note));
        return JsonSerializer.Serialize(file, Json);
    }

    /// <exception cref="InvalidDataException">The JSON is not a weights file this version reads.</exception>
    public static SecondOpinionWeights FromJson(string json)
    {
        WeightsFile? file;
        try
        {
            file = JsonSerializer.Deserialize<WeightsFile>(json, Json);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"the weights are not valid JSON: {ex.Message}", ex);
        }

        if (file is null || file.Format != 1 || file.Question is null || file.Note is null || file.Settings is null)
        {
            throw new InvalidDataException("the weights file is not format 1 with a question and a note model");
        }

        return new SecondOpinionWeights(file.DataSha256 ?? "", file.TrainedOn ?? [], file.Settings, file.PraiseCeiling,
            FromFile(file.Question), FromFile(file.Note));
    }

    /// <summary>The weights built into the assembly.</summary>
    /// <exception cref="InvalidDataException">They are missing or unreadable.</exception>
    public static SecondOpinionWeights LoadDefault()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourceName)
            ?? throw new InvalidDataException($"the assembly carries no {ResourceName}");
        using var reader = new StreamReader(stream);
        return FromJson(reader.ReadToEnd());
    }

    private static ModelFile ToFile(LogisticModel model) =>
        new(model.Bias, model.Threshold, model.VetoBelow, new SortedDictionary<string, double>(model.Weights.ToDictionary(), StringComparer.Ordinal));

    private static LogisticModel FromFile(ModelFile file) =>
        new(file.Bias, new Dictionary<string, double>(file.Weights ?? [], StringComparer.Ordinal), file.Threshold, file.VetoBelow);

    private sealed record WeightsFile(
        [property: JsonPropertyName("format")] int Format,
        [property: JsonPropertyName("data_sha256")] string? DataSha256,
        [property: JsonPropertyName("trained_on")] List<string>? TrainedOn,
        [property: JsonPropertyName("settings")] TrainingSettings? Settings,
        [property: JsonPropertyName("praise_ceiling")] double PraiseCeiling,
        [property: JsonPropertyName("question")] ModelFile? Question,
        [property: JsonPropertyName("note")] ModelFile? Note);

    private sealed record ModelFile(
        [property: JsonPropertyName("bias")] double Bias,
        [property: JsonPropertyName("threshold")] double Threshold,
        [property: JsonPropertyName("veto_below")] double VetoBelow,
        [property: JsonPropertyName("weights")] SortedDictionary<string, double>? Weights);
}
