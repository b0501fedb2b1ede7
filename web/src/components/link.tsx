// An in-app link: a real <a href> (so it can be opened in a new tab and read by screen
// readers) whose plain left click navigates without reloading the page.
import type { AnchorHTMLAttributes, MouseEvent } from 'react';
import { useApp } from '../app/app-context';
import { isPlainLeftClick } from '../app/router';

export function Link({ href, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { readonly href: string }) {
  const { navigate } = useApp();
  const handleClick = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (event.defaultPrevented || !isPlainLeftClick(event) || rest.target !== undefined) return;
    event.preventDefault();
    navigate(href);
  };
  return <a href={href} onClick={handleClick} {...rest} />;
}
