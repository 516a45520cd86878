namespace Vta.Frontend.Tests.Tflite;

public class ModelSearchPathTests
{
    [Fact]
    public void TriesOptionThenEnvironmentThenLocalThenShared()
    {
        string root = Path.Combine(Path.GetTempPath(), "vta-search-" + Guid.NewGuid().ToString("N"));
        ModelSearchPath path = ModelSearchPath.Create(option: "opt", baseDirectory: root, environmentValue: "/env/models");
        Assert.Equal(
            [Path.Combine(root, "opt"), "/env/models", Path.Combine(root, "models"), Path.GetFullPath(Path.Combine(root, "..", "shared", "models"))],
            path.Candidates);
    }

    [Fact]
    public void FindsTheFirstExistingFolderAndFilesInIt()
    {
        string root = Path.Combine(Path.GetTempPath(), "vta-search-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(root, "models", "labels"));
        try
        {
            File.WriteAllText(Path.Combine(root, "models", "labels", "x.txt"), "cat");
            ModelSearchPath path = ModelSearchPath.Create(option: "missing", baseDirectory: root, environmentValue: Path.Combine(root, "also-missing"));
            Assert.Equal(Path.Combine(root, "models"), path.RequireDirectory());
            Assert.Equal(Path.Combine(root, "models", "labels", "x.txt"), path.RequireFile("labels/x.txt"));
            FileNotFoundException e = Assert.Throws<FileNotFoundException>(() => path.RequireFile("labels/y.txt"));
            Assert.Contains("also-missing", e.Message);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void AMissingFolderListsWhereItLooked()
    {
        string root = Path.Combine(Path.GetTempPath(), "vta-search-" + Guid.NewGuid().ToString("N"), "repo");
        ModelSearchPath path = ModelSearchPath.Create(baseDirectory: root, environmentValue: string.Empty);
        Assert.Null(path.FindDirectory());
        DirectoryNotFoundException e = Assert.Throws<DirectoryNotFoundException>(path.RequireDirectory);
        Assert.Contains("VTA_MODELS", e.Message);
        Assert.Contains(Path.Combine(root, "models"), e.Message);
    }

    [Fact]
    public void TheRepositoryFindsTheSharedModels()
    {
        // CI keeps ../shared beside the clone: this must find it (or fail saying where it looked).
        string dir = TestModels.SearchPath.RequireDirectory();
        Assert.True(File.Exists(Path.Combine(dir, "SHA256SUMS")), $"{dir} has no SHA256SUMS");
    }
}
