import { useEffect } from 'react';
import { Card } from '../components/Card';
import { Placeholder } from '../components/KeyValues';
import { Path } from '../components/Path';
import { PageHeader } from '../components/PageHeader';
import { useSystemStore } from '../stores/systemStore';

export function ToolsPage() {
  const workspace = useSystemStore((s) => s.workspace);
  const loadWorkspace = useSystemStore((s) => s.loadWorkspace);

  useEffect(() => {
    void loadWorkspace();
  }, [loadWorkspace]);

  return (
    <>
      <PageHeader
        title="Tools"
        description="The pipeline steps and the tools behind them (fastqc, cutadapt, fastp, bwa, samtools, bedtools, seqkit …) will be listed here, each with the version found on this computer, its parameters as a form, and whether it is ready to run."
      />
      <Card title="Step definitions" className="narrow">
        <p>Tool detection is not built yet: this page fills in with the step runner.</p>
        <p className="muted">
          Steps are data: besides the built-in definitions, Benchtop will read your own from{' '}
          <span data-testid="steps-dir">{workspace ? <Path value={workspace.stepsDir} /> : <Placeholder />}</span>
          .
        </p>
      </Card>
    </>
  );
}
