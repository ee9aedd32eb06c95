"""Which local area a page is for, and which areas a person sees. Every page that shows a
plan's or an area's data is for one area: named by `?area=<slug>` (or by the plan, the
finding or the action it is about), else the first of the person's areas (the one loaded
first). A person sees:

| who                                | areas                                          |
| an administrator                   | every area                                     |
| anyone else in a role (an officer, | the areas of the owner roles they hold today   |
| a board member, the chair)         | and the areas they are a member of             |
|                                    | (AreaMember); and, while the tracker holds one |
|                                    | area only, that area                           |

So a tracker with one area works as it always has, and once a second is loaded a board
member sees only the areas an administrator made them a member of. An area a person may not
see is a 404, as if it did not exist. The public pages and the open data take `?area=` too,
over every area, and name the area they show.
"""

from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from actions import roles
from actions.models import AreaMember, RoleHolding
from reviews.models import Area

AREA_PARAMETER = "area"


def areas_of(user):
    """The areas `user` may see, first loaded first (one query when read)."""
    areas = Area.objects.order_by("pk")
    if roles.is_administrator(user):
        return areas
    if not user.is_authenticated:
        return areas.none()
    held = RoleHolding.objects.current().filter(user=user).values("role__area")
    member = AreaMember.objects.filter(user=user).values("area")
    the_only_one = ~Exists(Area.objects.exclude(pk=OuterRef("pk")))
    return areas.filter(Q(pk__in=held) | Q(pk__in=member) | the_only_one)


def may_see(user, area_id):
    return areas_of(user).filter(pk=area_id).exists()


def check(user, area_id):
    """Http404 unless `user` may see the area (a page about one finding, action or plan)."""
    if not may_see(user, area_id):
        raise Http404("No such page")


def asked(request, areas=None):
    """The area of `?area=<slug>` among `areas` (the person's by default), else the first
    of them (None when there are none: the page shows nothing); Http404 for an area asked
    for that is not among them."""
    if areas is None:
        areas = areas_of(request.user)
    slug = request.GET.get(AREA_PARAMETER)
    if not slug:
        return areas.first()
    area = areas.filter(slug=slug).first()
    if area is None:
        raise Http404("No such area")
    return area


def public_area(request):
    """The area a public page or open data file shows: `?area=`, else the first loaded
    (None before any is: the page or file is empty)."""
    return asked(request, Area.objects.order_by("pk"))
