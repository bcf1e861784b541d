using CoachBot.Coaching.Eval;
using CoachBot.Coaching.Learned;
using CoachBot.Coaching.Messages;

namespace CoachBot.Coaching.Tests;

public sealed class SecondOpinionTests
{
    private static SecondOpinionWeights Weights(double questionBias, Dictionary<string, double>? questionWeights = null, double noteBias = 0) =>
        new("test", [], new TrainingSettings(), 0.5,
            new LogisticModel(questionBias, questionWeights ?? [], 0.7, 0.3),
            new LogisticModel(noteBias, new Dictionary<string, double>(), 0.7, 0.3));

    [Fact]
    public void Flags_a_question_no_rule_matches_with_the_coaching_of_the_nearest_rule_by_its_examples()
    {
        var engine = DefaultCoach.Engine;
        var coach = new Coach(engine, new SecondOpinion(Weights(-3, new() { ["w:spreadsheet"] = 8 }), engine));
        const string text = "What does your weekly spreadsheet cover?";
        Assert.Equal(Verdict.Ok, new Coach(engine).Review(text).Verdict);

        var reply = coach.Review(text);

        Assert.Equal(Verdict.Revise, reply.Verdict);
        var point = Assert.Single(reply.Points);
        Assert.Contains(engine.Rules, r => r.Id == point.Rule && r.Text.Level >= Level.Nudge && r.AppliesTo(InputKind.Question));
        Assert.False(string.IsNullOrWhiteSpace(point.Why));
        Assert.False(string.IsNullOrWhiteSpace(point.Ask));
        Assert.NotEmpty(point.Suggestions);
    }

    [Fact]
    public void The_nearest_rule_is_the_one_whose_examples_share_the_most_words()
    {
        var engine = DefaultCoach.Engine;
        var opinion = new SecondOpinion(Weights(0), engine);
        var evaluation = engine.Evaluate("Roughly how many licences are we talking about for the rollout?", InputKind.Question);

        var nearest = opinion.NearestRule(evaluation with { Findings = [] });

        Assert.Equal("self-serving.sizing", nearest?.Id);
    }

    [Fact]
    public void Vetoes_a_rule_hit_the_model_does_not_believe_to_a_gentle_consider()
    {
        var engine = DefaultCoach.Engine;
        const string text = "Do you have budget set aside for this quarter?";
        Assert.Equal(Verdict.Revise, new Coach(engine).Review(text).Verdict);
        var coach = new Coach(engine, new SecondOpinion(Weights(-10), engine));

        var reply = coach.Review(text);

        Assert.Equal(Verdict.Ok, reply.Verdict);
        Assert.Contains(reply.Findings, f => f.Rule == "self-serving.budget" && f.Level == Level.Info);
        Assert.Null(reply.Praise);
    }

    [Fact]
    public void A_rule_hit_stands_when_the_model_is_unsure()
    {
        var engine = DefaultCoach.Engine;
        var coach = new Coach(engine, new SecondOpinion(Weights(0), engine));

        var reply = coach.Review("Do you have budget set aside for this quarter?");

        Assert.Equal(Verdict.Revise, reply.Verdict);
        Assert.Contains(reply.Points, f => f.Rule == "self-serving.budget");
    }

    [Fact]
    public void Training_is_deterministic_and_the_weights_survive_json()
    {
        var items = new List<LabelledItem>
        {
            new("1", "Do you have budget for this?", "self_serving"),
            new("2", "Who signs off on the purchase?", "self_serving"),
            new("3", "What happens to your margins if returns keep rising?", "good"),
            new("4", "How does the delay affect your team?", "good"),
            new("5", "Calling Acme to touch base.", "no_goal"),
            new("6", "Call Acme: goal is to book a pilot by Friday.", "has_goal"),
            new("7", "Is this one unclear?", "ambiguous"),
        };

        var first = SecondOpinionTrainer.Train(DefaultCoach.Engine, items, "abc", ["x.tsv"]);
        var second = SecondOpinionTrainer.Train(DefaultCoach.Engine, items, "abc", ["x.tsv"]);
        var read = SecondOpinionWeights.FromJson(first.ToJson());

        Assert.Equal(first.ToJson(), second.ToJson());
        Assert.Equal(first.ToJson(), read.ToJson());
        Assert.Equal("abc", read.DataSha256);
        Assert.True(read.Question.Weights.Count > 0);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{ not json")]
    [InlineData("{\"format\": 2}")]
    public void Refuses_weights_it_cannot_read(string json) =>
        Assert.Throws<InvalidDataException>(() => SecondOpinionWeights.FromJson(json));

    [Fact]
    public void The_built_in_weights_load_and_name_the_data_they_were_trained_on()
    {
        var weights = SecondOpinionWeights.LoadDefault();

        Assert.Matches("^[0-9a-f]{64}$", weights.DataSha256);
        Assert.Contains("public-questions.tsv", weights.TrainedOn);
        Assert.True(weights.Question.Weights.Count > 100 && weights.Note.Weights.Count > 100);
    }

    [Fact]
    public void Cross_validation_predicts_every_scored_row_once_from_a_model_that_did_not_see_it()
    {
        var items = Enumerable.Range(0, 20)
            .Select(i => new LabelledItem($"q{i}", i % 2 == 0 ? $"Do you have budget for project {i}?" : $"What happens to your margins if returns keep rising in region {i}?", i % 2 == 0 ? "self_serving" : "good"))
            .Append(new LabelledItem("amb", "Is this one unclear?", "ambiguous"))
            .ToList();

        var results = CrossValidation.Run(DefaultCoach.Engine, [("q.tsv", items)], 5);

        var predicted = results.SelectMany(r => r.Predictions).Select(p => p.Item.Id).ToList();
        Assert.Equal(20, predicted.Count);
        Assert.Equal(20, predicted.Distinct().Count());
        Assert.DoesNotContain("amb", predicted);
        Assert.Equal(5, results.Select(r => r.Fold).Distinct().Count());
    }

    [Fact]
    public void Splits_ids_into_odd_and_even_by_their_number()
    {
        var predictions = "pq001 pq002 pq013 x".Split(' ')
            .Select(id => new EvalPrediction(new LabelledItem(id, "t", "good"), "good", [], false))
            .ToList();

        Assert.Equal("pq001 pq013", string.Join(' ', EvalReport.Half(predictions, odd: true).Select(p => p.Item.Id)));
        Assert.Equal("pq002", string.Join(' ', EvalReport.Half(predictions, odd: false).Select(p => p.Item.Id)));
    }
}
