import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { ConnectionProvider } from './api/ApiContext';
import { connect } from './api/connect';
import { App } from './App';
import { initI18n } from './i18n/i18n';
import { DataProvider } from './data-client/DataContext';
import './styles.css';

initI18n();
const connection = connect();
const queryClient = new QueryClient({ defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } } });

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <ConnectionProvider connection={connection}>
      <QueryClientProvider client={queryClient}>
        <DataProvider>
          <BrowserRouter>
            <App />
          </BrowserRouter>
        </DataProvider>
      </QueryClientProvider>
    </ConnectionProvider>
  </StrictMode>,
);
