namespace PipelineCoach.Scoring.Engine;

public static class ReasonTemplate
{
    /// <summary>Splits "pushed {History.CloseDatePushCount} times" into literal and placeholder parts.</summary>
    public static IReadOnlyList<ReasonTemplatePart> Parse(string template)
    {
        var parts = new List<ReasonTemplatePart>();
        var position = 0;
        while (position < template.Length)
        {
            var open = template.IndexOf('{', position);
            var close = open < 0 ? -1 : template.IndexOf('}', open + 1);
            if (open < 0 || close < 0)
            {
                parts.Add(new ReasonTemplatePart(template[position..], IsPlaceholder: false));
                break;
            }

            if (open > position)
            {
                parts.Add(new ReasonTemplatePart(template[position..open], IsPlaceholder: false));
            }

            parts.Add(new ReasonTemplatePart(template[(open + 1)..close].Trim(), IsPlaceholder: true));
            position = close + 1;
        }

        return parts;
    }
}
