namespace Vta.Compiler.Tuning;

/// <summary>How a tuning run searches.</summary>
public sealed record TuningOptions
{
    /// <summary>Candidates timed per layer at most (the default policy's choice is always one of them).</summary>
    public int Trials { get; init; } = 32;

    /// <summary>Seed of the sample drawn when a layer's space is larger than <see cref="Trials"/>.</summary>
    public int Seed { get; init; }

    /// <summary>Candidates timed at once, each on its own device.</summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Time without the data work (same cycles, far faster); off runs every candidate on seeded data.</summary>
    public bool SkipExecution { get; init; } = true;

    public void Validate()
    {
        if (Trials < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Trials), Trials, "trials must be at least 1");
        }

        if (MaxDegreeOfParallelism < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxDegreeOfParallelism), MaxDegreeOfParallelism, "at least one candidate at a time");
        }
    }
}

/// <summary>Candidates timed so far out of all, and the layer of the latest one.</summary>
public sealed record TuningProgress(int Done, int Total, string Layer, TimeSpan Elapsed);
