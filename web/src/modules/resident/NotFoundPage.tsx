import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { Layout } from '../../app/Layout.js';
import { PageTitle } from '../../ui/ui.js';

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <Layout>
      <PageTitle title={t('notFound.title')}>{t('notFound.title')}</PageTitle>
      <p>{t('notFound.text')}</p>
      <p><Link to="/">{t('notFound.home')}</Link></p>
    </Layout>
  );
}
