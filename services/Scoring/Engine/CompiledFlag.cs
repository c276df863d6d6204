namespace PipelineCoach.Scoring.Engine;

public sealed class CompiledFlag
{
    private readonly ReasonTemplatePart[] reasonParts;

    internal CompiledFlag(FlagDefinition definition, int rootNode, string ruleText, ReasonTemplatePart[] reasonParts, int[] placeholderSlots)
    {
        Id = definition.Id;
        Name = definition.Name;
        Description = definition.Description;
        ReasonTemplate = definition.Reason;
        RootNode = rootNode;
        RuleText = ruleText;
        this.reasonParts = reasonParts;
        PlaceholderSlots = placeholderSlots;
    }

    public string Id { get; }

    public string Name { get; }

    public string? Description { get; }

    public string ReasonTemplate { get; }

    public string RuleText { get; }

    internal int RootNode { get; }

    internal int[] PlaceholderSlots { get; }

    internal string RenderReason(FactValue[] facts)
    {
        var builder = new System.Text.StringBuilder();
        var placeholder = 0;
        foreach (var part in reasonParts)
        {
            builder.Append(part.IsPlaceholder ? facts[PlaceholderSlots[placeholder++]].ToString() : part.Text);
        }

        return builder.ToString();
    }
}
