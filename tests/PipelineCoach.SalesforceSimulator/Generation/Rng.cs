namespace PipelineCoach.SalesforceSimulator.Generation;

/// <summary>SplitMix64: tiny, fast and stable across runtimes, so a seed always yields the same org.</summary>
internal struct Rng(ulong seed)
{
    private ulong state = seed;

    public static Rng For(int seed, long stream) =>
        new(unchecked(((ulong)(uint)seed * 0x9E3779B97F4A7C15UL) ^ ((ulong)stream * 0xD1B54A32D192ED03UL) ^ 0x632BE59BD9B4E019UL));

    public ulong NextULong()
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, max).</summary>
    public int Next(int max) => max <= 1 ? 0 : (int)(NextULong() % (ulong)max);

    /// <summary>Uniform in [min, max).</summary>
    public int Next(int min, int max) => min + Next(max - min);

    public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));

    public bool Chance(double p) => NextDouble() < p;

    public int Weighted(ReadOnlySpan<int> weights)
    {
        var total = 0;
        foreach (var w in weights)
        {
            total += w;
        }

        var pick = Next(total);
        for (var i = 0; i < weights.Length; i++)
        {
            pick -= weights[i];
            if (pick < 0)
            {
                return i;
            }
        }

        return weights.Length - 1;
    }
}
