namespace CoachBot.Coaching.Learned;

/// <summary>
/// A logistic regression over named binary features: the probability that a text is the
/// problem label (self-serving, or no goal). Sparse, so scoring is a few dictionary look-ups.
/// </summary>
public sealed class LogisticModel
{
    public LogisticModel(double bias, IReadOnlyDictionary<string, double> weights, double threshold, double vetoBelow)
    {
        ArgumentNullException.ThrowIfNull(weights);
        Bias = bias;
        Weights = weights;
        Threshold = threshold;
        VetoBelow = vetoBelow;
    }

    public double Bias { get; }

    public IReadOnlyDictionary<string, double> Weights { get; }

    /// <summary>At or above this probability the model calls the text a problem.</summary>
    public double Threshold { get; }

    /// <summary>A rule's problem finding stands unless the model's probability is below this; then it is vetoed to a gentle "consider".</summary>
    public double VetoBelow { get; }

    public double Probability(IEnumerable<string> features)
    {
        ArgumentNullException.ThrowIfNull(features);
        var z = Bias;
        foreach (var feature in features.Distinct(StringComparer.Ordinal))
        {
            if (Weights.TryGetValue(feature, out var w))
            {
                z += w;
            }
        }

        return 1 / (1 + Math.Exp(-z));
    }

    /// <summary>
    /// Fits by full-batch gradient descent with L2 on every weight but the bias. Deterministic:
    /// no shuffling, no random start, so the same rows always give the same weights. Features
    /// seen in fewer than <see cref="TrainingSettings.MinCount"/> rows are dropped (they only memorise a row).
    /// </summary>
    public static LogisticModel Train(IReadOnlyList<(IReadOnlyList<string> Features, bool Positive)> rows, TrainingSettings settings)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(settings);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            foreach (var f in row.Features.Distinct(StringComparer.Ordinal))
            {
                counts[f] = counts.GetValueOrDefault(f) + 1;
            }
        }

        var names = counts.Where(c => c.Value >= settings.MinCount).Select(c => c.Key).Order(StringComparer.Ordinal).ToArray();
        var index = new Dictionary<string, int>(names.Length, StringComparer.Ordinal);
        for (var i = 0; i < names.Length; i++)
        {
            index[names[i]] = i;
        }

        var x = rows.Select(r => r.Features.Distinct(StringComparer.Ordinal).Where(index.ContainsKey).Select(f => index[f]).ToArray()).ToArray();
        var y = rows.Select(r => r.Positive ? 1.0 : 0.0).ToArray();
        var positives = y.Sum();
        // Classes weighted to balance, so a file with more of one label does not tilt the model.
        var wPos = positives == 0 ? 1 : rows.Count / (2 * positives);
        var wNeg = positives == rows.Count ? 1 : rows.Count / (2 * (rows.Count - positives));
        var weights = new double[names.Length];
        var bias = 0.0;
        var gradient = new double[names.Length];
        for (var epoch = 0; epoch < settings.Epochs; epoch++)
        {
            Array.Clear(gradient);
            var gradientBias = 0.0;
            for (var r = 0; r < x.Length; r++)
            {
                var z = bias;
                foreach (var f in x[r])
                {
                    z += weights[f];
                }

                var error = (1 / (1 + Math.Exp(-z)) - y[r]) * (y[r] > 0 ? wPos : wNeg);
                gradientBias += error;
                foreach (var f in x[r])
                {
                    gradient[f] += error;
                }
            }

            var n = x.Length;
            bias -= settings.LearningRate * gradientBias / n;
            for (var f = 0; f < weights.Length; f++)
            {
                weights[f] -= settings.LearningRate * (gradient[f] / n + settings.L2 * weights[f]);
            }
        }

        var kept = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var f = 0; f < names.Length; f++)
        {
            var rounded = Math.Round(weights[f], 4);
            if (Math.Abs(rounded) >= 0.001)
            {
                kept[names[f]] = rounded;
            }
        }

        return new LogisticModel(Math.Round(bias, 4), kept, settings.Threshold, settings.VetoBelow);
    }
}

/// <summary>
/// How the second opinion is fitted and combined with the rules; the defaults are what
/// <c>coachbot train</c> uses, chosen by 5-fold cross-validation on the public files: the model
/// flags a text alone at 0.7 or more, vetoes a rule's hit below 0.3 (between the two the rule
/// stands), and praise is kept below 0.5.
/// </summary>
public sealed record TrainingSettings(int Epochs = 400, double LearningRate = 1.0, double L2 = 0.001, int MinCount = 2, double Threshold = 0.7, double VetoBelow = 0.3, double PraiseCeiling = 0.5);
