using System.Collections.Frozen;

namespace PipelineCoach.Scoring.Engine;

/// <summary>What a compiled scorecard needs to pre-parse an opportunity: custom field slots, role bits, the stage ladder.</summary>
internal sealed class FactLayout
{
    /// <param name="normalDaysByStage">
    /// Normal days that replace the scorecard's <c>normalDays</c> for the stages they name (the org's own figures); a
    /// stage not named keeps the scorecard's. Looked up with the dictionary's own comparer.
    /// </param>
    public FactLayout(Scorecard scorecard, IReadOnlyList<string> roleNames, IReadOnlyDictionary<string, int>? normalDaysByStage = null)
    {
        CustomFields = scorecard.CustomFields
            .Select((field, index) => new CustomFieldSlot(field.Name, FactCatalog.ParseCustomFieldType(field.Type)!.Value, FactSlots.BuiltInCount + index))
            .ToArray();
        CustomFieldSlotByName = CustomFields.ToFrozenDictionary(field => field.Name, field => field.Slot, StringComparer.Ordinal);
        RoleNames = [.. roleNames];
        Stages = [.. scorecard.Stages.Select(stage => stage.Name)];
        StageIndexByName = scorecard.Stages.Select((stage, index) => (stage.Name, index))
            .ToFrozenDictionary(entry => entry.Name, entry => entry.index, StringComparer.OrdinalIgnoreCase);
        StageNormalDays = [.. scorecard.Stages.Select(stage =>
            normalDaysByStage is not null && normalDaysByStage.TryGetValue(stage.Name, out var days) ? days : stage.NormalDays)];
        SlotCount = FactSlots.BuiltInCount + CustomFields.Length;
        CompellingEventSlot = scorecard.CompellingEventField is { } eventField && CustomFieldSlotByName.TryGetValue(eventField, out var eventSlot) ? eventSlot : -1;
        FiscalYearStartMonth = scorecard.FiscalYearStartMonth ?? 1;
        NormalCycleDays = StageNormalDays.All(days => days is not null) ? StageNormalDays.Sum(days => days!.Value) : null;
    }

    /// <summary>The slot of the scorecard's compelling-event date field, or -1.</summary>
    public int CompellingEventSlot { get; }

    public int FiscalYearStartMonth { get; }

    /// <summary>The sum of the stages' normal durations (<see cref="StageNormalDays"/>); null when a stage has none.</summary>
    public int? NormalCycleDays { get; }

    public CustomFieldSlot[] CustomFields { get; }

    public FrozenDictionary<string, int> CustomFieldSlotByName { get; }

    /// <summary>Role names referenced by the scorecard; bit i of a role mask is <c>RoleNames[i]</c>.</summary>
    public string[] RoleNames { get; }

    public string[] Stages { get; }

    public FrozenDictionary<string, int> StageIndexByName { get; }

    /// <summary>Each stage's normal days: the overlaid figure where one was given, else the scorecard's <c>normalDays</c>.</summary>
    public int?[] StageNormalDays { get; }

    public int SlotCount { get; }

    public int SlotOf(string factName) =>
        FactCatalog.BuiltInByName.ContainsKey(factName)
            ? FactCatalog.BuiltIn.Select((fact, index) => (fact, index)).First(entry => entry.fact.Name == factName).index
            : CustomFieldSlotByName[factName];

    public ulong RoleMaskOf(IEnumerable<string> roleNames)
    {
        ulong mask = 0;
        foreach (var name in roleNames)
        {
            var index = Array.FindIndex(RoleNames, role => string.Equals(role, name, StringComparison.OrdinalIgnoreCase));
            mask |= 1UL << index;
        }

        return mask;
    }
}
