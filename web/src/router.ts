import { createRouter, createWebHistory } from 'vue-router';
import { setExpiredHandler, setPasswordChangeHandler } from './api/client';
import { mustChangePassword, session } from './auth';
import LoginView from './views/LoginView.vue';

/** One view per route; every view but the login is loaded when first opened. */
export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/login', name: 'login', component: LoginView, meta: { public: true } },
    { path: '/', name: 'queue', component: () => import('./views/QueueView.vue') },
    { path: '/cases', name: 'cases', component: () => import('./views/CaseListView.vue') },
    { path: '/cases/new', name: 'intake', component: () => import('./views/IntakeView.vue') },
    { path: '/cases/:id', name: 'case', component: () => import('./views/CaseView.vue'), props: true },
    { path: '/notifications', name: 'notifications', component: () => import('./views/NotificationsView.vue') },
    { path: '/stats', name: 'stats', component: () => import('./views/StatsView.vue') },
    { path: '/admin', name: 'admin', component: () => import('./views/AdminView.vue') },
    { path: '/consultations', name: 'consultations', component: () => import('./views/ConsultationsView.vue') },
    { path: '/password', name: 'password', component: () => import('./views/PasswordView.vue') },
    { path: '/:rest(.*)*', redirect: '/' },
  ],
});

router.beforeEach((to) => {
  if (!to.meta.public && !session.token) return { name: 'login', query: { next: to.fullPath } };
  // After an admin's reset nothing works until the password is changed: that form comes first.
  if (session.token && mustChangePassword.value && to.name !== 'password' && !to.meta.public) return { name: 'password', query: { next: to.fullPath } };
  return true;
});

// An expired or revoked token: sign in again, then come back to the same page.
// The address bar is read, not the router's current route: on a fresh load the first API calls
// answer before the router has finished its first navigation.
setExpiredHandler(() => {
  if (window.location.pathname === '/login') return;
  router.push({ name: 'login', query: { next: window.location.pathname + window.location.search, expired: '1' } });
});

// Any call answering 403 PASSWORD_CHANGE_REQUIRED: the password form, then back.
setPasswordChangeHandler(() => {
  mustChangePassword.value = true;
  if (window.location.pathname === '/password') return;
  router.push({ name: 'password', query: { next: window.location.pathname + window.location.search } });
});
