using System.Buffers;
using System.Text;
using System.Text.Json;

namespace PipelineCoach.Scoring.Engine;

/// <summary>
/// A score's breakdown as score history keeps it: only what varies per opportunity — each criterion's status, the
/// condition that decided it and the value it read; each flag's state, deciding condition, value and reason — plus
/// owner and as-of day. Names, weights, stage expectations and rule texts are the scorecard version's, which is
/// immutable, so <see cref="Read"/> restores the full <see cref="ScoreSnapshot"/> from it. About a fifth of the size of
/// the full breakdown, and written straight from the engine's result without building a snapshot first.
/// </summary>
/// <remarks>
/// Shape: <c>{"o":owner,"a":"2026-11-25","c":[["M",node,"value"],…],"f":[[true,node,"value","reason"],[false,node,"value"],…]}</c>.
/// </remarks>
public static class ScoreBreakdown
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? buffer;

    public static string Write(ScoreResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var output = buffer ??= new ArrayBufferWriter<byte>(1024);
        output.ResetWrittenCount();
        using (var json = new Utf8JsonWriter(output))
        {
            json.WriteStartObject();
            if (result.OwnerId is { } owner)
            {
                json.WriteString("o"u8, owner);
            }

            json.WriteString("a"u8, result.AsOf.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteStartArray("c"u8);
            for (var i = 0; i < result.CriterionCount; i++)
            {
                var slot = result.CriterionSlots[i];
                json.WriteStartArray();
                json.WriteStringValue(StatusCode(slot.Status));
                json.WriteNumberValue(slot.DecisiveNode);
                json.WriteStringValue(result.CriterionAt(i).Evidence.Value.ToString());
                json.WriteEndArray();
            }

            json.WriteEndArray();
            json.WriteStartArray("f"u8);
            for (var i = 0; i < result.FlagCount; i++)
            {
                var flag = result.FlagAt(i);
                json.WriteStartArray();
                json.WriteBooleanValue(flag.Raised);
                json.WriteNumberValue(result.FlagSlots[i].DecisiveNode);
                json.WriteStringValue(flag.Evidence.Value.ToString());
                if (flag.Raised)
                {
                    json.WriteStringValue(flag.Reason);
                }

                json.WriteEndArray();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    /// <summary>True for a breakdown written by <see cref="Write"/> (history rows written earlier hold a full snapshot).</summary>
    public static bool IsCompact(JsonElement root) => root.ValueKind == JsonValueKind.Object && root.TryGetProperty("c", out _);

    /// <summary>The full snapshot again, from a compact breakdown and the scorecard version it was computed with.</summary>
    public static ScoreSnapshot Read(JsonElement root, CompiledScorecard scorecard, string opportunityId, DateTimeOffset sourceVersion, int score, string grade)
    {
        ArgumentNullException.ThrowIfNull(scorecard);
        var criteria = new List<CriterionOutcome>(scorecard.Criteria.Count);
        var index = 0;
        foreach (var entry in root.GetProperty("c").EnumerateArray())
        {
            if (index >= scorecard.Criteria.Count)
            {
                break;
            }

            var criterion = scorecard.Criteria[index++];
            var status = FromCode(entry[0].GetString());
            var node = entry[1].GetInt32();
            var (field, rule) = scorecard.Describe(node);
            var value = entry[2].GetString() ?? "";
            criteria.Add(new CriterionOutcome(criterion.Id, criterion.Name, criterion.Weight, status,
                status == CriterionStatus.Met ? criterion.Weight : 0, criterion.ExpectedFromStage,
                new EvidenceSnapshot(field, value, rule), Explanations.Criterion(criterion, status, scorecard.LabelOf(node), value)));
        }

        var flags = new List<FlagOutcome>(scorecard.Flags.Count);
        index = 0;
        foreach (var entry in root.GetProperty("f").EnumerateArray())
        {
            if (index >= scorecard.Flags.Count)
            {
                break;
            }

            var flag = scorecard.Flags[index++];
            var raised = entry[0].GetBoolean();
            var node = entry[1].GetInt32();
            var (field, rule) = scorecard.Describe(node);
            var value = entry[2].GetString() ?? "";
            var reason = raised && entry.GetArrayLength() > 3 ? entry[3].GetString() ?? "" : Explanations.FlagNotRaised(flag, scorecard.LabelOf(node), value, node == ScoreResult.ClosedNode);
            flags.Add(new FlagOutcome(flag.Id, flag.Name, raised, reason, new EvidenceSnapshot(field, value, rule)));
        }

        return new ScoreSnapshot
        {
            OpportunityId = opportunityId,
            OwnerId = root.TryGetProperty("o", out var owner) ? owner.GetString() : null,
            SourceVersion = sourceVersion,
            AsOf = DateOnly.ParseExact(root.GetProperty("a").GetString()!, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ScorecardId = scorecard.Id,
            ScorecardVersion = scorecard.Version,
            Score = score,
            Grade = grade,
            WinProbability = scorecard.GradeFor(score).WinProbability,
            Criteria = criteria,
            MissingNow = MissingCriterion.Of(scorecard, criteria),
            Flags = flags,
        };
    }

    private static string StatusCode(CriterionStatus status) => status switch
    {
        CriterionStatus.Met => "M",
        CriterionStatus.NotMet => "N",
        _ => "Y",
    };

    private static CriterionStatus FromCode(string? code) => code switch
    {
        "M" => CriterionStatus.Met,
        "N" => CriterionStatus.NotMet,
        _ => CriterionStatus.NotYetExpected,
    };
}
