namespace Vta.Compiler.Workloads;

/// <summary>
/// The named workloads of TVM's VTA benchmarks (vta-software.md §8): ResNet-18 C2–C11, the two dense shapes, the
/// MobileNet group convolutions D1–D9 and the DCGAN transposed convolutions CT1–CT3. Convolutions use the
/// configuration's BATCH as TVM's tests do.
/// </summary>
public static class WorkloadCatalog
{
    private static readonly Workload[] s_all = [.. ResNet18(), .. Dense(), .. MobileNet(), .. Dcgan()];

    public static IReadOnlyList<Workload> All => s_all;

    /// <summary>How often each ResNet-18 workload occurs in resnet18_v1 (for whole-network totals).</summary>
    public static int ResNet18Occurrences(string name) => name switch
    {
        "resnet18.C2" => 4,
        "resnet18.C5" or "resnet18.C8" or "resnet18.C11" => 3,
        _ when name.StartsWith("resnet18.C", StringComparison.Ordinal) => 1,
        _ => 0,
    };

    public static bool TryGet(string name, out Workload workload)
    {
        workload = s_all.FirstOrDefault(w => string.Equals(w.Name, name, StringComparison.OrdinalIgnoreCase))!;
        return workload is not null;
    }

    /// <summary>A named workload or an explicit spec (conv2d:…, dense:…, conv2d_transpose:…, eltwise:…).</summary>
    public static Workload Resolve(string nameOrSpec)
    {
        if (TryGet(nameOrSpec, out var named))
        {
            return named;
        }

        if (nameOrSpec.Contains(':', StringComparison.Ordinal))
        {
            return WorkloadSpecParser.Parse(nameOrSpec);
        }

        throw new FormatException($"unknown workload '{nameOrSpec}': use a name from 'vta op --list' or a spec such as conv2d:n=1,h=56,w=56,ci=64,co=64,k=3,pad=1,stride=1");
    }

    private static IEnumerable<Workload> ResNet18()
    {
        (string, int, int, int, int, int, int)[] rows =
        [
            ("C2", 56, 64, 64, 3, 1, 1), ("C3", 56, 64, 128, 3, 1, 2), ("C4", 56, 64, 128, 1, 0, 2),
            ("C5", 28, 128, 128, 3, 1, 1), ("C6", 28, 128, 256, 3, 1, 2), ("C7", 28, 128, 256, 1, 0, 2),
            ("C8", 14, 256, 256, 3, 1, 1), ("C9", 14, 256, 512, 3, 1, 2), ("C10", 14, 256, 512, 1, 0, 2),
            ("C11", 7, 512, 512, 3, 1, 1),
        ];
        foreach (var (name, size, ci, co, k, pad, stride) in rows)
        {
            yield return new Conv2dWorkload($"resnet18.{name}", 0, size, size, ci, co, k, k, Padding.Uniform(pad), stride, stride);
        }
    }

    private static IEnumerable<Workload> Dense()
    {
        yield return new DenseWorkload("dense.128", 128, 128, 128);
        yield return new DenseWorkload("dense.16x512x1008", 16, 512, 1008);
    }

    private static IEnumerable<Workload> MobileNet()
    {
        (int, int, int, int)[] rows =
        [
            (112, 32, 2, 1), (112, 64, 4, 2), (56, 128, 8, 1), (56, 128, 8, 2), (28, 256, 16, 1),
            (28, 256, 16, 2), (14, 512, 32, 1), (14, 512, 32, 2), (7, 1024, 64, 1),
        ];
        for (int i = 0; i < rows.Length; i++)
        {
            var (size, channels, groups, stride) = rows[i];
            yield return new Conv2dWorkload($"mobilenet.D{i + 1}", 0, size, size, channels, channels, 3, 3, Padding.Uniform(1), stride, stride, groups);
        }
    }

    private static IEnumerable<Workload> Dcgan()
    {
        (int, int, int)[] rows = [(4, 1024, 512), (8, 512, 256), (16, 256, 128)];
        for (int i = 0; i < rows.Length; i++)
        {
            var (size, ci, co) = rows[i];
            yield return new Conv2dTransposeWorkload($"dcgan.CT{i + 1}", 0, size, size, ci, co, 4, 1, 2);
        }
    }
}
