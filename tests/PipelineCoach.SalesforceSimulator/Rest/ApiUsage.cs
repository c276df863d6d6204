namespace PipelineCoach.SalesforceSimulator.Rest;

/// <summary>The org's daily API request allowance (a fixed counter; reset through the control API).</summary>
public sealed class ApiUsage(int max)
{
    private readonly Lock sync = new();
    private int used;
    private int allowed = max;

    public int Used
    {
        get
        {
            lock (sync)
            {
                return used;
            }
        }
    }

    public int Max
    {
        get
        {
            lock (sync)
            {
                return allowed;
            }
        }
    }

    public string Header
    {
        get
        {
            lock (sync)
            {
                return $"api-usage={used}/{allowed}";
            }
        }
    }

    /// <summary>Counts one call; false once the allowance is used up.</summary>
    internal bool TryTake()
    {
        lock (sync)
        {
            if (used >= allowed)
            {
                return false;
            }

            used++;
            return true;
        }
    }

    public void Set(int usedCalls, int? maxCalls = null)
    {
        lock (sync)
        {
            allowed = maxCalls ?? allowed;
            used = Math.Clamp(usedCalls, 0, int.MaxValue);
        }
    }

    /// <summary>Uses up the allowance so the next call gets 403 <c>REQUEST_LIMIT_EXCEEDED</c>.</summary>
    public void Exhaust()
    {
        lock (sync)
        {
            used = allowed;
        }
    }
}
