import { PageHeader } from '../components/PageHeader';
import { href } from '../lib/router';

export function NotFoundPage() {
  return (
    <>
      <PageHeader title="Page not found" description="This address names no page of Benchtop." />
      <p>
        <a className="link" href={href('dashboard')}>
          Go to the Dashboard
        </a>
      </p>
    </>
  );
}
