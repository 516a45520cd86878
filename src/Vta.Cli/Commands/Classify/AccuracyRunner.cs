using System.Diagnostics;
using Vta.Frontend.Labels;
using Vta.Hardware.Config;
using Vta.Runtime.Devices;

namespace Vta.Cli.Commands.Classify;

/// <summary>One model on one input: our top-1 against the reference's, or the error that stopped it.</summary>
internal sealed record AccuracyRow(string Model, string Input, Prediction? Top1, ReferenceComparison? Reference, double Seconds, string? Error)
{
    /// <summary>"exact" or "vta" for a row that ran (<see cref="Vta.Compiler.Models.CompiledModel.Requantization"/>).</summary>
    public string? Requantization { get; init; }

    public bool Ok => Error is null && Reference is { Top1Agrees: true };
}

/// <summary>How far a run has got: rows done of the total, and what runs now.</summary>
internal readonly record struct AccuracyProgress(int Done, int Total, string Current);

/// <summary>
/// Runs every model × applicable input (<see cref="AccuracyCatalog"/>) through <see cref="ClassifyModel"/> on one device:
/// each model is imported and compiled once, then classifies each input. A model or input that fails becomes a row
/// with its error (one line, naming the file), and the run goes on.
/// </summary>
internal sealed class AccuracyRunner(ModelFiles files, VtaConfig config, string? device, string? requant = null)
{
    public IReadOnlyList<AccuracyRow> Run(IReadOnlyList<string> models, IReadOnlyList<string> inputs, Action<AccuracyProgress>? progress = null)
    {
        string folder = files.RequireFolder();
        var plan = new List<(string Model, ImportedModel? Imported, string? Error, List<string> Inputs)>();
        foreach (string model in models)
        {
            try
            {
                ImportedModel imported = ClassifyErrors.Guard(() => ImportedModel.Import(model, null, files));
                plan.Add((model, imported, null, [.. inputs.Where(i => ModelInput.KindOf(i) == imported.Input.Kind)]));
            }
            catch (Exception e) when (ClassifyErrors.IsInputError(e))
            {
                plan.Add((model, null, e.Message, []));
            }
        }

        int total = plan.Sum(p => Math.Max(1, p.Inputs.Count)), done = 0;
        var rows = new List<AccuracyRow>();
        using IVtaDevice vta = DeviceOption.Open(device, config);
        foreach (var (model, imported, importError, modelInputs) in plan)
        {
            if (imported is null || modelInputs.Count == 0)
            {
                rows.Add(new AccuracyRow(model, "", null, null, 0, importError ?? $"{model}: no input in {folder} fits its input"));
                progress?.Invoke(new AccuracyProgress(++done, total, model));
                continue;
            }

            ClassifyModel? compiled = null;
            string? compileError = null;
            try
            {
                progress?.Invoke(new AccuracyProgress(done, total, $"{model}: compiling"));
                compiled = ClassifyErrors.Guard(() => ClassifyModel.Compile(imported, files, config, [], requant));
                foreach (string input in modelInputs)
                {
                    progress?.Invoke(new AccuracyProgress(done, total, $"{model} on {input}"));
                    rows.Add(RunOne(compiled, model, input, Path.Combine(folder, input), vta));
                    progress?.Invoke(new AccuracyProgress(++done, total, model));
                }
            }
            catch (Exception e) when (ClassifyErrors.IsInputError(e))
            {
                compileError = e.Message;
            }
            finally
            {
                compiled?.Dispose();
            }

            if (compileError is not null)
            {
                rows.AddRange(modelInputs.Select(i => new AccuracyRow(model, i, null, null, 0, compileError)));
                done += modelInputs.Count;
                progress?.Invoke(new AccuracyProgress(done, total, model));
            }
        }

        return rows;
    }

    private static AccuracyRow RunOne(ClassifyModel model, string name, string input, string path, IVtaDevice vta)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            ClassifyOutcome outcome = ClassifyErrors.Guard(() => model.Classify(path, vta, 1));
            return new AccuracyRow(name, input, outcome.Top[0], outcome.Reference, clock.Elapsed.TotalSeconds, null)
            {
                Requantization = model.Compiled.Requantization.Name(),
            };
        }
        catch (Exception e) when (ClassifyErrors.IsInputError(e))
        {
            return new AccuracyRow(name, input, null, null, clock.Elapsed.TotalSeconds, e.Message);
        }
    }
}
