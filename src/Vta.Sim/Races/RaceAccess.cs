namespace Vta.Sim.Races;

/// <summary>One side of a race: the instruction (stream index, mnemonic, module) and what it did to the element.</summary>
public sealed record RaceAccess(int Index, string Mnemonic, PipelineModule Module, SramAccess Kind)
{
    public override string ToString() =>
        $"instruction {Index} ({Mnemonic}, {PipelineRouting.Name(Module)} module) {(Kind == SramAccess.Write ? "writes" : "reads")}";
}
