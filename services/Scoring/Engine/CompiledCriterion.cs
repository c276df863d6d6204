namespace PipelineCoach.Scoring.Engine;

public sealed class CompiledCriterion
{
    internal CompiledCriterion(CriterionDefinition definition, int expectedFromStageIndex, int rootNode, string ruleText)
    {
        Id = definition.Id;
        Name = definition.Name;
        Description = definition.Description;
        Weight = definition.Weight;
        ExpectedFromStage = definition.ExpectedFromStage;
        ExpectedFromStageIndex = expectedFromStageIndex;
        RootNode = rootNode;
        RuleText = ruleText;
        Prompt = string.IsNullOrWhiteSpace(definition.Prompt)
            ? $"{definition.Name}: expected by now and not in place yet."
            : definition.Prompt;
    }

    /// <summary>The coaching prompt shown while the criterion is expected and not met.</summary>
    public string Prompt { get; }

    public string Id { get; }

    public string Name { get; }

    public string? Description { get; }

    public int Weight { get; }

    public string? ExpectedFromStage { get; }

    /// <summary>The whole rule in words, e.g. "Economic_Buyer__c is set OR contact roles include any of 'Economic Buyer'".</summary>
    public string RuleText { get; }

    internal int ExpectedFromStageIndex { get; }

    internal int RootNode { get; }
}
