using Vta.Compiler.Programs;

namespace Vta.Compiler.Tests.Programs;

public class MemoryPlannerTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void RegionsAliveAtTheSameStepNeverShareBytesAndDeadOnesAreReused(int seed)
    {
        var random = new Random(seed);
        var planner = new MemoryPlanner(4096);
        var regions = new List<(long Bytes, int First, int Last)>();
        for (int i = 0; i < 60; i++)
        {
            int first = random.Next(100);
            int last = first + random.Next(6);
            long bytes = random.Next(1, 50_000);
            int id = planner.Add(bytes, first);
            planner.Use(id, last);
            regions.Add((bytes, first, last));
        }

        (long[] offsets, long total) = planner.Solve();

        for (int a = 0; a < regions.Count; a++)
        {
            Assert.Equal(0, offsets[a] % 4096);
            Assert.True(offsets[a] + regions[a].Bytes <= total);
            for (int b = a + 1; b < regions.Count; b++)
            {
                bool together = regions[a].First <= regions[b].Last && regions[b].First <= regions[a].Last;
                bool overlap = offsets[a] < offsets[b] + regions[b].Bytes && offsets[b] < offsets[a] + regions[a].Bytes;
                Assert.False(together && overlap, $"regions {a} and {b} are alive together and overlap");
            }
        }

        long peak = Enumerable.Range(0, 110).Max(step => regions.Where(r => r.First <= step && step <= r.Last).Sum(r => (r.Bytes + 4095) / 4096 * 4096));
        long sum = regions.Sum(r => (r.Bytes + 4095) / 4096 * 4096);
        Assert.InRange(total, peak, sum - 1);
    }
}
