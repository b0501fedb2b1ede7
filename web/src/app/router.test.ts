import { describe, expect, it } from 'vitest';
import { hrefFor, isPlainLeftClick, matchRoute } from './router';

describe('router', () => {
  it('matches each page and its parameters', () => {
    expect(matchRoute('/')).toEqual({ name: 'store', params: {} });
    expect(matchRoute('/models')).toEqual({ name: 'store', params: {} });
    expect(matchRoute('/models/grok-1')).toEqual({ name: 'model', params: { id: 'grok-1' } });
    expect(matchRoute('/models/qwen2.5-7b/')).toEqual({ name: 'model', params: { id: 'qwen2.5-7b' } });
    expect(matchRoute('/models/a%20b')).toEqual({ name: 'model', params: { id: 'a b' } });
    expect(matchRoute('/compare').name).toBe('compare');
    expect(matchRoute('/leaderboard').name).toBe('leaderboard');
    expect(matchRoute('/playground').name).toBe('playground');
    expect(matchRoute('/console').name).toBe('console');
    expect(matchRoute('/gpts')).toEqual({ name: 'gpt-store', params: {} });
    expect(matchRoute('/gpts/travel-helper')).toEqual({ name: 'gpt', params: { slug: 'travel-helper' } });
    expect(matchRoute('/builder')).toEqual({ name: 'gpt-builder', params: {} });
    expect(matchRoute('/builder/gpt_1')).toEqual({ name: 'gpt-builder', params: { id: 'gpt_1' } });
    expect(matchRoute('/evaluations/run_1')).toEqual({ name: 'evaluation', params: { id: 'run_1' } });
    expect(matchRoute('/manage')).toEqual({ name: 'admin', params: {} });
    expect(matchRoute('/manage/routes')).toEqual({ name: 'admin', params: { section: 'routes' } });
    expect(matchRoute('/models/a/b').name).toBe('not-found');
    expect(matchRoute('/models/%E0%A4%A').name).toBe('not-found');
    expect(matchRoute('/nowhere').name).toBe('not-found');
  });

  it('builds addresses with encoded parameters and query', () => {
    expect(hrefFor('model', { id: 'a/b' })).toBe('/models/a%2Fb');
    expect(hrefFor('compare', {}, { ids: 'grok-1,gpt-4', empty: '' })).toBe('/compare?ids=grok-1%2Cgpt-4');
    expect(hrefFor('store')).toBe('/');
    expect(hrefFor('gpt-builder')).toBe('/builder');
    expect(hrefFor('gpt-builder', { id: 'gpt_1' })).toBe('/builder/gpt_1');
    expect(hrefFor('admin', { section: 'audit' })).toBe('/manage/audit');
    expect(matchRoute(hrefFor('model', { id: 'a/b' }))).toEqual({ name: 'model', params: { id: 'a/b' } });
  });

  it('leaves modified clicks to the browser', () => {
    const click = { button: 0, metaKey: false, ctrlKey: false, shiftKey: false, altKey: false };
    expect(isPlainLeftClick(click)).toBe(true);
    expect(isPlainLeftClick({ ...click, ctrlKey: true })).toBe(false);
    expect(isPlainLeftClick({ ...click, button: 1 })).toBe(false);
  });
});
